package io.llmspell.store;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The storage backend. {@code llmspell.storage.backend=file} (the default) is the
 * embedded {@link MvStoreBackend}; another backend contributes its own
 * {@link StorageBackend} bean on its own value of that property. A value that no bean
 * answers stops startup with {@link StorageBackendMissingException}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

	/**
	 * Fails startup when {@code llmspell.storage.backend} names a backend that no bean
	 * provides ({@code redis} without the cluster's Redis, a typo): checked once every
	 * configuration class has been read, before any bean is made.
	 */
	@Bean
	static BeanFactoryPostProcessor storageBackendCheck(Environment environment) {
		return (beanFactory) -> {
			if (beanFactory.getBeanNamesForType(StorageBackend.class, true, false).length == 0) {
				throw new StorageBackendMissingException(
						environment.getProperty("llmspell.storage.backend", "file").strip());
			}
		};
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "llmspell.storage.backend", havingValue = "file", matchIfMissing = true)
	MvStoreBackend mvStoreBackend(StorageProperties properties) {
		return new MvStoreBackend(properties.dataDir(), properties.quota());
	}

}
