package io.llmspell.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON Schema (draft 2020-12 unless it names another with {@code $schema}), compiled
 * once, validating plain Java values (maps, lists, strings, numbers, booleans, null).
 * References stay inside the schema: nothing is fetched, from the network, the file
 * system or the class path.
 */
public final class JsonSchema {

	/** At most this many problems are named in a message. */
	private static final int MAX_PROBLEMS = 5;

	private final Map<String, Object> source;

	/** Compiled on first use for a {@linkplain #trusted trusted} schema. */
	private volatile Schema schema;

	private JsonSchema(Map<String, Object> source, Schema schema) {
		this.source = source;
		this.schema = schema;
	}

	/**
	 * The validator's registry and the meta-schema, built on first use: loading them
	 * takes a while (seconds on a busy machine), which must not fall into a run that uses
	 * no schema. {@link JsonSchemaWarmup} builds them when the service starts.
	 */
	private static final class Validator {

		static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
				(builder) -> builder.schemaLoader((loader) -> loader.fetchRemoteResources(false)
					.block((iri) -> !iri.toString().startsWith("https://json-schema.org/")
							&& !iri.toString().startsWith("http://json-schema.org/"))));

		/** The meta-schema: a schema must itself be valid. */
		static final Schema META_SCHEMA = REGISTRY
			.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

	}

	/**
	 * A schema known to be valid (a built-in tool's), compiled only when first used.
	 */
	public static JsonSchema trusted(Map<String, Object> schema) {
		return new JsonSchema(schema, null);
	}

	/**
	 * Compiles {@code schema}.
	 * @throws IllegalArgumentException when it is no valid schema
	 */
	public static JsonSchema compile(Map<String, Object> schema) {
		try {
			JsonNode node = JsonMapper.shared().valueToTree(schema);
			List<Error> invalid = Validator.META_SCHEMA.validate(node);
			if (!invalid.isEmpty()) {
				throw new IllegalArgumentException(where(invalid.get(0)) + ": " + invalid.get(0).getMessage());
			}
			return new JsonSchema(schema, compiled(node));
		}
		catch (SchemaException | IllegalArgumentException | IllegalStateException ex) {
			throw new IllegalArgumentException("invalid schema: " + ex.getMessage(), ex);
		}
	}

	private static Schema compiled(JsonNode node) {
		Schema compiled = Validator.REGISTRY.getSchema(node);
		compiled.initializeValidators();
		return compiled;
	}

	private Schema schema() {
		Schema compiled = schema;
		if (compiled == null) {
			compiled = compiled(JsonMapper.shared().valueToTree(source));
			schema = compiled;
		}
		return compiled;
	}

	/** The schema as given. */
	public Map<String, Object> source() {
		return source;
	}

	/**
	 * What is wrong with {@code value}, one short line per problem ({@code $.a: ...});
	 * empty when it conforms.
	 */
	public List<String> problems(Object value) {
		List<Error> errors;
		try {
			errors = schema().validate(JsonMapper.shared().valueToTree(value));
		}
		catch (SchemaException ex) {
			return List.of("the schema cannot be applied: " + ex.getMessage());
		}
		List<String> problems = new ArrayList<>();
		for (Error error : errors) {
			problems.add(where(error) + ": " + error.getMessage());
		}
		return problems;
	}

	/** Where in the value: {@code $} for the whole, {@code $.a.0.b} inside it. */
	private static String where(Error error) {
		String pointer = String.valueOf(error.getInstanceLocation());
		return "$" + (pointer.isEmpty() || "/".equals(pointer) ? "" : pointer.replace('/', '.'));
	}

	/** {@code problems} as one message, or {@code null} when there are none. */
	public String describe(Object value) {
		List<String> problems = problems(value);
		if (problems.isEmpty()) {
			return null;
		}
		String shown = String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())));
		return (problems.size() > MAX_PROBLEMS) ? shown + "; and " + (problems.size() - MAX_PROBLEMS) + " more" : shown;
	}

}
