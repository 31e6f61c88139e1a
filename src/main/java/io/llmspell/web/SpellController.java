package io.llmspell.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.llmspell.spell.SpellCatalog;

/** The spell catalog over HTTP. */
@RestController
public class SpellController {

	private final SpellCatalog catalog;

	public SpellController(SpellCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/spells")
	public List<SpellView> list() {
		return catalog.list().stream().map(SpellView::summary).toList();
	}

	@GetMapping("/spells/{name}")
	public SpellView get(@PathVariable String name) {
		return SpellView.details(catalog.get(name));
	}

}
