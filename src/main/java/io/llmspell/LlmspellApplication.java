package io.llmspell;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.llmspell.cli.LlmspellCli;

/**
 * Entry point of the service and of the command line ({@code run}, {@code list}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LlmspellApplication {

	public static void main(String[] args) {
		if (LlmspellCli.handles(args)) {
			System.exit(LlmspellCli.run(args, System.out, System.err));
		}
		SpringApplication.run(LlmspellApplication.class, args);
	}

}
