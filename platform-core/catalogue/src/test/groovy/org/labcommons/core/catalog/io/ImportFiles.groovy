package org.labcommons.core.catalog.io

import org.apache.poi.xssf.usermodel.XSSFWorkbook

import java.nio.charset.Charset
import java.util.zip.ZipEntry
import java.util.zip.ZipInputStream
import java.util.zip.ZipOutputStream

/** Crafted spreadsheets for the import specifications. */
class ImportFiles {
    static final Charset GB18030 = Charset.forName('GB18030')

    static String csv(List<List<Object>> rows, String sep = ',') {
        rows.collect { row ->
            row.collect { v ->
                String s = v == null ? '' : v.toString()
                s.contains(sep) || s.contains('"') || s.contains('\n') ? '"' + s.replace('"', '""') + '"' : s
            }.join(sep)
        }.join('\r\n') + '\r\n'
    }

    static byte[] utf8Bom(String text) {
        def out = new ByteArrayOutputStream()
        out.write([0xEF, 0xBB, 0xBF] as byte[])
        out.write(text.getBytes('UTF-8'))
        out.toByteArray()
    }

    /** A workbook with one sheet; a value may be a closure that writes the cell itself. */
    static byte[] xlsx(List<List<Object>> rows, Closure more = null) {
        def wb = new XSSFWorkbook()
        def sheet = wb.createSheet('资产')
        def dateStyle = wb.createCellStyle()
        dateStyle.dataFormat = wb.createDataFormat().getFormat('yyyy-mm-dd')
        rows.eachWithIndex { List<Object> row, int r ->
            def xr = sheet.createRow(r)
            row.eachWithIndex { Object v, int c ->
                if (v == null) { return }
                def cell = xr.createCell(c)
                if (v instanceof Closure) { v.call(cell, wb) }
                else if (v instanceof Number) { cell.setCellValue(((Number) v).doubleValue()) }
                else if (v instanceof java.time.LocalDate) { cell.setCellValue((java.time.LocalDate) v); cell.cellStyle = dateStyle }
                else { cell.setCellValue(v.toString()) }
            }
        }
        if (more) { more.call(wb) }
        def out = new ByteArrayOutputStream()
        wb.write(out)
        wb.close()
        out.toByteArray()
    }

    /** The same zip with one entry's bytes replaced. */
    static byte[] replaceEntry(byte[] zip, String name, byte[] content, int method = ZipEntry.DEFLATED) {
        def out = new ByteArrayOutputStream()
        def zout = new ZipOutputStream(out)
        new ZipInputStream(new ByteArrayInputStream(zip)).withCloseable { zin ->
            ZipEntry e
            while ((e = zin.nextEntry) != null) {
                def entry = new ZipEntry(e.name)
                zout.putNextEntry(entry)
                zout.write(e.name == name ? content : zin.readAllBytes())
                zout.closeEntry()
            }
        }
        zout.close()
        out.toByteArray()
    }

    static String entry(byte[] zip, String name) {
        new ZipInputStream(new ByteArrayInputStream(zip)).withCloseable { zin ->
            ZipEntry e
            while ((e = zin.nextEntry) != null) {
                if (e.name == name) { return new String(zin.readAllBytes(), 'UTF-8') }
            }
            null
        }
    }
}
