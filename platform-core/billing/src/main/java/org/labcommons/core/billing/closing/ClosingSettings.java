package org.labcommons.core.billing.closing;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * {@code labcommons.billing.closing.*}: where to look for a font with Chinese glyphs for the statements' PDF (the
 * first file that exists is used; a {@code .ttc} collection's first font), and the account code prefixes the finance
 * system knows (entries of the month on any other account block the close, {@code unknown_account}).
 */
@Singleton
public record ClosingSettings(@Value("${labcommons.billing.closing.pdf-fonts}") List<String> pdfFonts,
                              @Value("${labcommons.billing.closing.known-accounts}") List<String> knownAccounts) {
}
