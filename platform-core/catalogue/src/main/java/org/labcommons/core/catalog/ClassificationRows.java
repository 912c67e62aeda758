package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/**
 * The store of the national classification ({@code instrument_class}: global reference data, no
 * RLS, read without a tenant bound).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClassificationRows extends GenericRepository<ClassificationRows.Row, String> {

    @MappedEntity("instrument_class")
    record Row(@Id String code, @Nullable String parentCode, int level, String nameZh, @Nullable String nameEn) {
    }

    /** Every class in code order. */
    @Query("select code, parent_code, level, name_zh, name_en from instrument_class order by code")
    List<Row> all();
}
