package org.labcommons.core.catalog.io

import java.nio.charset.Charset
import java.nio.file.Files
import java.nio.file.Path

/**
 * A UK university's equipment register as institutions publish it in Uniquip columns (the UK
 * equipment-sharing data standard, equipment.data.ac.uk), the way a new user brings it: English,
 * one department per row, no asset number, a shared phone or mailbox instead of a contact name on
 * some rows, names with accents and curly apostrophes ("Jürgen Müller", "Siobhán O’Brien"), a few
 * no-break spaces around values, saved as CSV by Excel for Mac (Mac Roman bytes, CR LF).
 *
 * The committed sample (static/samples/northfield-university-equipment-uniquip.csv) is
 * {@link #sample()}; ImportReadersSpec checks that they are the same bytes, and writes the file
 * with {@code -Dlabcommons.write-uk-sample=true}. Standalone:
 * {@code groovy UniquipRegisterGenerator.groovy <out.csv>}.
 */
class UniquipRegisterGenerator {
    static final Charset MAC_ROMAN = Charset.forName('x-MacRoman')
    static final int ROWS = 623

    static final List<String> HEADER = ['Type', 'Name', 'Description', 'Related Facility ID', 'Technique', 'Location',
                                        'Contact Name', 'Contact Telephone', 'Contact URL', 'Contact Email',
                                        'Secondary Contact Name', 'Secondary Contact Telephone', 'Secondary Contact URL',
                                        'Secondary Contact Email', 'Photo', 'Department', 'Site Location', 'Building',
                                        'Service Level', 'Web Address', 'Institution Name', 'Approximate Coordinates',
                                        'Manufacturer', 'Model']

    /** Name, technique, manufacturer, model. */
    static final List<List<String>> KINDS = [
            ['NMR spectrometer 400 MHz', 'Nuclear magnetic resonance', 'Bruker', 'AVANCE NEO 400'],
            ['NMR spectrometer 600 MHz', 'Nuclear magnetic resonance', 'Bruker', 'AVANCE III HD 600'],
            ['Transmission electron microscope', 'Electron microscopy', 'JEOL', 'JEM-2100Plus'],
            ['Scanning electron microscope', 'Electron microscopy', 'Zeiss', 'Sigma 300 VP'],
            ['Powder X-ray diffractometer', 'X-ray diffraction', 'Malvern Panalytical', 'Empyrean'],
            ['Single-crystal X-ray diffractometer', 'X-ray diffraction', 'Rigaku', 'XtaLAB Synergy-S'],
            ['X-ray photoelectron spectrometer', 'Surface analysis', 'Thermo Fisher Scientific', 'K-Alpha'],
            ['Atomic force microscope', 'Scanning probe microscopy', 'Bruker', 'Dimension Icon'],
            ['Flow cytometer', 'Cytometry', 'BD Biosciences', 'FACSAria Fusion'],
            ['Confocal laser scanning microscope', 'Light microscopy', 'Leica Microsystems', 'Stellaris 8'],
            ['GC-MS system', 'Mass spectrometry', 'Agilent Technologies', '8890/5977B'],
            ['LC-MS/MS system', 'Mass spectrometry', 'Waters', 'Xevo TQ-S micro'],
            ['ICP-MS', 'Elemental analysis', 'PerkinElmer', 'NexION 5000'],
            ['Thermogravimetric analyser', 'Thermal analysis', 'NETZSCH', 'TG 209 F1 Libra'],
            ['Differential scanning calorimeter', 'Thermal analysis', 'TA Instruments', 'DSC 2500'],
            ['Real-time PCR system', 'Genomics', 'Bio-Rad', 'CFX Opus 96'],
            ['Next-generation sequencer', 'Genomics', 'Illumina', 'NextSeq 2000'],
            ['Raman microscope', 'Vibrational spectroscopy', 'Renishaw', 'inVia Qontor'],
            ['FTIR spectrometer', 'Vibrational spectroscopy', 'Bruker', 'INVENIO R'],
            ['Universal testing machine', 'Mechanical testing', 'Instron', '5985'],
            ['3D printer (metal)', 'Additive manufacturing', 'Renishaw', 'RenAM 500Q'],
            ['Micro-CT scanner', 'X-ray imaging', 'Nikon', 'XT H 225 ST'],
            ['Cryo-electron microscope', 'Electron microscopy', 'Thermo Fisher Scientific', 'Glacios 2'],
            ['Isothermal titration calorimeter', 'Biophysics', 'Malvern Panalytical', 'MicroCal PEAQ-ITC']]

    static final List<String> DEPARTMENTS = ['Department of Chemistry', 'School of Physics and Astronomy',
                                             'Department of Materials', 'School of Biosciences',
                                             'Department of Earth Sciences', 'School of Engineering',
                                             'School of Pharmacy', 'Department of Biochemistry',
                                             'Institute of Cancer Sciences', 'School of Medicine']
    static final List<String> BUILDINGS = ['Joseph Black Building', 'Kelvin Building', 'Rankine Building',
                                           'Davidson Building', 'Gregory Building', 'Wolfson Medical School Building']
    static final List<String> SITES = ['Main Campus', 'Garscube Campus', 'Innovation Park']
    static final List<String> PEOPLE = ['Dr Alison Reid', 'Prof. Jürgen Müller', 'Dr Siobhán O’Brien', 'Mark Davies',
                                        'Dr Zoë Clarke', 'Dr Renée Lefèvre', 'Tom Fraser', 'Dr Priya Natarajan',
                                        'Dr Seán Ó Briain', 'Helen McAllister', 'Dr José Núñez', 'Dr Émilie Durand']
    static final List<String> SERVICE_LEVELS = ['Fully supported service', 'Supported', 'Self-service after training',
                                                'Collaboration only']

    static String mailOf(String person) {
        String plain = java.text.Normalizer.normalize(person, java.text.Normalizer.Form.NFD).replaceAll('\\p{M}', '')
                .replace('’', '').replace('Prof. ', '').replace('Dr ', '')
        def parts = plain.toLowerCase(Locale.ROOT).split(' ')
        "${parts[0]}.${parts[-1]}@northfield.ac.uk".toString()
    }

    /** The rows (without the header), deterministic for a seed. */
    static List<List<String>> rows(int count = ROWS, long seed = 1451) {
        def random = new Random(seed)
        def out = []
        for (int i = 0; i < count; i++) {
            def kind = KINDS[random.nextInt(KINDS.size())]
            String dept = DEPARTMENTS[random.nextInt(DEPARTMENTS.size())]
            String building = BUILDINGS[random.nextInt(BUILDINGS.size())]
            String person = PEOPLE[random.nextInt(PEOPLE.size())]
            String second = random.nextInt(3) == 0 ? PEOPLE[random.nextInt(PEOPLE.size())] : ''
            String phone = "0141 330 ${String.format('%04d', 1000 + random.nextInt(9000))}".toString()
            String name = kind[0]
            String contactName = person
            String contactEmail = mailOf(person)
            if (i % 20 == 7) {
                // a shared facility phone and mailbox, nobody named
                contactName = ''
                contactEmail = "${kind[1].toLowerCase(Locale.ROOT).replaceAll('[^a-z]+', '-')}@northfield.ac.uk".toString()
            } else if (i % 20 == 13) {
                contactName = ''
                contactEmail = ''
            }
            if (i % 50 == 3) {
                name = '\u00A0' + name + '\u00A0'         // no-break spaces around a value, as pasted from a web page
            }
            if (i % 40 == 11 && contactEmail) {
                contactEmail = contactEmail + '\u00A0'     // a no-break space after an address
            }
            double lat = 55.8721 + random.nextInt(200) / 10000d
            double lon = -4.2882 + random.nextInt(200) / 10000d
            out << ['equipment', name,
                    "${kind[0]} (${kind[2]} ${kind[3]}) in the ${dept}; training is required before independent use.".toString(),
                    '', kind[1], "Room ${'ABCDE'[random.nextInt(5)]}${100 + random.nextInt(500)}".toString(),
                    contactName, phone, '', contactEmail,
                    second, second ? "0141 330 ${String.format('%04d', 1000 + random.nextInt(9000))}".toString() : '', '',
                    second ? mailOf(second) : '', '', dept, SITES[random.nextInt(SITES.size())], building,
                    SERVICE_LEVELS[random.nextInt(SERVICE_LEVELS.size())],
                    "https://equipment.northfield.ac.uk/item/${1000 + i}".toString(), 'University of Northfield',
                    String.format(Locale.ROOT, '%.4f,%.4f', lat, lon), kind[2], kind[3]]
        }
        out
    }

    /** The sample: the header and {@link #ROWS} rows as CSV (CR LF), in Mac Roman as Excel for Mac saves it. */
    static byte[] sample() {
        ImportFiles.csv([HEADER] + rows()).getBytes(MAC_ROMAN)
    }

    static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : 'northfield-university-equipment-uniquip.csv')
        Files.write(out, sample())
    }
}
