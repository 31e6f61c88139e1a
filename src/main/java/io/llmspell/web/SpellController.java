package io.llmspell.web;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.llmspell.spell.SpellCatalog;
import io.llmspell.spell.UnknownSpellException;

/** The spell catalog over HTTP. */
@RestController
@Tag(name = "spells", description = "The spell catalog")
public class SpellController {

	private final SpellCatalog catalog;

	public SpellController(SpellCatalog catalog) {
		this.catalog = catalog;
	}

	@Operation(summary = "List the spells, sorted by name",
			description = "Every spell folder: status ok, or status broken with the error (file, line, message) "
					+ "that keeps it from running until the file is fixed.",
			responses = @ApiResponse(responseCode = "200",
					content = @Content(mediaType = "application/json",
							array = @ArraySchema(schema = @Schema(implementation = SpellView.class)))))
	@GetMapping("/spells")
	public List<SpellView> list() {
		Map<String, SpellView> views = new TreeMap<>();
		catalog.list().forEach((spell) -> views.put(spell.name(), SpellView.summary(spell)));
		catalog.brokenSpells().forEach((broken) -> views.put(broken.name(), SpellView.broken(broken)));
		return List.copyOf(views.values());
	}

	@Operation(summary = "One spell, with its parameters and README",
			description = "A broken spell answers 200 too, with status broken and its error.",
			responses = {
					@ApiResponse(responseCode = "200",
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = SpellView.class))),
					@ApiResponse(responseCode = "404", description = "unknown spell",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@GetMapping("/spells/{name}")
	public SpellView get(@PathVariable String name) {
		return catalog.find(name)
			.map(SpellView::details)
			.or(() -> catalog.broken(name).map(SpellView::broken))
			.orElseThrow(() -> new UnknownSpellException(name));
	}

}
