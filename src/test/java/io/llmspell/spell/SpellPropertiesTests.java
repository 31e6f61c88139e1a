package io.llmspell.spell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SpellPropertiesTests {

	@Test
	void defaultsToSpellsInTheWorkingDirectoryRefreshedEveryTwoSeconds() {
		SpellProperties properties = bind(new MapPropertySource("empty", Map.of()));

		assertThat(properties.dir().normalize()).isEqualTo(Path.of("spells"));
		assertThat(properties.refreshInterval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.refreshEnabled()).isTrue();
	}

	@Test
	void bindsFromApplicationProperties() {
		SpellProperties properties = bind(new MapPropertySource("application",
				Map.of("llmspell.spells.dir", "/srv/spells", "llmspell.spells.refresh-interval", "500ms")));

		assertThat(properties.dir()).isEqualTo(Path.of("/srv/spells"));
		assertThat(properties.refreshInterval()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void theEnvironmentVariableSetsTheFolder() {
		SpellProperties properties = bind(
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						Map.of("LLMSPELL_SPELLS_DIR", "/opt/spells", "LLMSPELL_SPELLS_REFRESHINTERVAL", "0")));

		assertThat(properties.dir()).isEqualTo(Path.of("/opt/spells"));
		assertThat(properties.refreshInterval()).isZero();
		assertThat(properties.refreshEnabled()).isFalse();
	}

	@Test
	void aNegativeIntervalAlsoDisablesRefreshing() {
		assertThat(new SpellProperties(Path.of("x"), Duration.ofSeconds(-1)).refreshEnabled()).isFalse();
	}

	private static SpellProperties bind(PropertySource<?> source) {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(source);
		Binder binder = new Binder(ConfigurationPropertySources.from(sources));
		return binder.bindOrCreate("llmspell.spells", Bindable.of(SpellProperties.class));
	}

}
