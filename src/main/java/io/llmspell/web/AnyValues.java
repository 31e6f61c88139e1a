package io.llmspell.web;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * A Java {@code Object} (a parameter's default, a run's result, a map's values) is any
 * JSON value, where springdoc says {@code type: object}: a generated client would then
 * refuse a result that is a string or a number (the Python one does). A schema that is
 * {@code object} with no properties, no additional properties and no reference becomes
 * untyped.
 */
final class AnyValues implements OpenApiCustomizer {

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
			return;
		}
		Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		openApi.getComponents().getSchemas().values().forEach((schema) -> {
			if (schema.getProperties() != null) {
				visit(schema.getProperties().values(), seen);
			}
			else {
				children(schema, seen);
			}
		});
	}

	private static void visit(Collection<Schema> schemas, Set<Schema<?>> seen) {
		schemas.forEach((schema) -> visit(schema, seen));
	}

	private static void visit(Schema<?> schema, Set<Schema<?>> seen) {
		if (schema == null || !seen.add(schema)) {
			return;
		}
		if ("object".equals(schema.getType()) && schema.get$ref() == null && schema.getProperties() == null
				&& schema.getAdditionalProperties() == null && schema.getAllOf() == null && schema.getOneOf() == null
				&& schema.getAnyOf() == null) {
			schema.setType(null);
			return;
		}
		children(schema, seen);
	}

	private static void children(Schema<?> schema, Set<Schema<?>> seen) {
		if (schema.getProperties() != null) {
			visit(schema.getProperties().values(), seen);
		}
		visit(schema.getItems(), seen);
		if (schema.getAdditionalProperties() instanceof Schema<?> values) {
			visit(values, seen);
		}
	}

}
