package org.labcommons.core.i18n;

/**
 * A module's texts, one bean per module: {@code <baseName>.properties} holds zh-CN and
 * {@code <baseName>_en.properties} English (UTF-8, on the module's classpath). {@link Messages}
 * merges every bundle bean it finds; each module uses a base name of its own (for example
 * {@code i18n/catalogue}), since the server runs from separate jars and same-named files would
 * shadow one another. A key belongs to the lowest module whose templates or code use it.
 */
public interface MessageBundle {
    /** The resource path without language suffix and extension, such as {@code i18n/catalogue}. */
    String baseName();
}
