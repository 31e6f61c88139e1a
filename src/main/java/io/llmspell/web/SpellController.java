package io.llmspell.web;

import java.util.List;

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

/** The spell catalog over HTTP. */
@RestController
@Tag(name = "spells", description = "The spell catalog")
public class SpellController {

	private final SpellCatalog catalog;

	public SpellController(SpellCatalog catalog) {
		this.catalog = catalog;
	}

	@Operation(summary = "List the spells served",
			responses = @ApiResponse(responseCode = "200",
					content = @Content(mediaType = "application/json",
							array = @ArraySchema(schema = @Schema(implementation = SpellView.class)))))
	@GetMapping("/spells")
	public List<SpellView> list() {
		return catalog.list().stream().map(SpellView::summary).toList();
	}

	@Operation(summary = "One spell, with its parameters and README",
			responses = {
					@ApiResponse(responseCode = "200",
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = SpellView.class))),
					@ApiResponse(responseCode = "404", description = "unknown spell",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@GetMapping("/spells/{name}")
	public SpellView get(@PathVariable String name) {
		return SpellView.details(catalog.get(name));
	}

}
