package io.llmspell.spell;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A parsed {@code spell.yaml}: its data as plain maps and lists, plus the node tree, kept
 * only to tell which line a problem is on.
 */
final class YamlDocument {

	private final Path file;

	private final Map<String, Object> data;

	private final Node root;

	private YamlDocument(Path file, Map<String, Object> data, Node root) {
		this.file = file;
		this.data = data;
		this.root = root;
	}

	/**
	 * Reads and parses a YAML file whose top level must be a mapping (an empty file
	 * counts as one).
	 * @throws SpellLoadException when the file is missing, unreadable or not such YAML
	 */
	@SuppressWarnings("unchecked")
	static YamlDocument read(Path file) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			throw new SpellLoadException(file, 0, "missing", ex);
		}
		catch (IOException ex) {
			throw new SpellLoadException(file, 0, "cannot be read: " + ex.getMessage(), ex);
		}
		try {
			// SafeConstructor: a spell.yaml may only hold plain data, never instantiate
			// Java classes.
			// Duplicate keys are refused: silently keeping the last one hides typos.
			LoaderOptions options = new LoaderOptions();
			options.setAllowDuplicateKeys(false);
			Yaml yaml = new Yaml(new SafeConstructor(options));
			Node root = yaml.compose(new StringReader(text));
			Object data = yaml.load(text);
			if (data == null) {
				return new YamlDocument(file, Map.of(), root);
			}
			if (!(data instanceof Map)) {
				throw new SpellLoadException(file, lineOf(root), "expected a mapping of keys to values at the top");
			}
			return new YamlDocument(file, (Map<String, Object>) data, root);
		}
		catch (MarkedYAMLException ex) {
			Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
			throw new SpellLoadException(file, (mark != null) ? mark.getLine() + 1 : 0, problem(ex), ex);
		}
		catch (YAMLException ex) {
			throw new SpellLoadException(file, 0, "invalid YAML: " + ex.getMessage(), ex);
		}
	}

	Path file() {
		return file;
	}

	Map<String, Object> data() {
		return data;
	}

	/**
	 * A load error at the value found by {@code path} (keys and list indexes), or its
	 * nearest parent.
	 */
	SpellLoadException error(String reason, Object... path) {
		return new SpellLoadException(file, line(path), reason);
	}

	/**
	 * The 1-based line of the value at {@code path}, or of its nearest existing parent; 0
	 * if unknown.
	 */
	int line(Object... path) {
		Node node = root;
		int line = lineOf(node);
		for (Object step : path) {
			node = child(node, step);
			if (node == null) {
				break;
			}
			line = lineOf(node);
		}
		return line;
	}

	/**
	 * The 1-based line of the top-level {@code key} itself, for what is said about the
	 * key (unknown, ignored): its value may start on a later line, or be a whole block
	 * below it; 0 if there is no such key.
	 */
	int keyLine(String key) {
		if (root instanceof MappingNode mapping) {
			for (NodeTuple tuple : mapping.getValue()) {
				if (tuple.getKeyNode() instanceof ScalarNode node && node.getValue().equals(key)) {
					return lineOf(node);
				}
			}
		}
		return 0;
	}

	private static Node child(Node node, Object step) {
		if (node instanceof MappingNode mapping) {
			for (NodeTuple tuple : mapping.getValue()) {
				if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(String.valueOf(step))) {
					return tuple.getValueNode();
				}
			}
		}
		if (node instanceof SequenceNode sequence && step instanceof Integer index) {
			List<Node> items = sequence.getValue();
			return (index >= 0 && index < items.size()) ? items.get(index) : null;
		}
		return null;
	}

	private static int lineOf(Node node) {
		return (node != null && node.getStartMark() != null) ? node.getStartMark().getLine() + 1 : 0;
	}

	private static String problem(MarkedYAMLException ex) {
		String problem = (ex.getProblem() != null) ? ex.getProblem() : ex.getContext();
		return "invalid YAML: " + ((problem != null) ? problem : "cannot be parsed");
	}

}
