package io.llmspell.spell;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where spells live, under {@code llmspell.spells} ({@code LLMSPELL_SPELLS_DIR} sets
 * {@code dir}).
 *
 * @param dir the folder holding one sub-folder per spell
 * @param refreshInterval how often the folder is checked for new, changed and removed
 * spells; zero disables
 */
@ConfigurationProperties("llmspell.spells")
public record SpellProperties(@DefaultValue("./spells") Path dir, @DefaultValue("2s") Duration refreshInterval) {

	public SpellProperties {
		dir = (dir != null) ? dir : Path.of("./spells");
		refreshInterval = (refreshInterval != null) ? refreshInterval : Duration.ZERO;
	}

	/** Whether the catalog should look for changes on a schedule. */
	public boolean refreshEnabled() {
		return !refreshInterval.isNegative() && !refreshInterval.isZero();
	}

}
