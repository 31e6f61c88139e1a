package io.llmspell.spell;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static io.llmspell.spell.SpellFolders.spell;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's beans wire up from configuration, and its refresh schedule follows the
 * context's lifecycle.
 */
class SpellCatalogWiringTests {

	@TempDir
	Path root;

	@Test
	void catalogAndBinderAreBeansReadingTheConfiguredFolder() {
		spell(root, "hello", "return 1");

		new ApplicationContextRunner().withUserConfiguration(CatalogConfiguration.class)
			.withPropertyValues("llmspell.spells.dir=" + root, "llmspell.spells.refresh-interval=1h")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(SpellParameterBinder.class);
				SpellCatalog catalog = context.getBean(SpellCatalog.class);
				assertThat(catalog.find("hello")).isPresent();
				assertThat(catalog.isRunning()).isTrue();
				context.close();
				assertThat(catalog.isRunning()).isFalse();
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SpellProperties.class)
	@Import({ SpellCatalog.class, SpellParameterBinder.class })
	static class CatalogConfiguration {

	}

}
