package io.llmspell.spell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The spells in {@code llmspell.spells.dir}, one per folder. Scanned when created, then
 * again every {@code refresh-interval} (and on {@link #refresh()}): new, changed and
 * removed folders are picked up without a restart, and only changed folders are
 * recompiled. A broken spell (a Lua syntax error, an invalid {@code spell.yaml}) stays in
 * the catalog as a {@link BrokenSpell} naming its file and line, and is logged at WARN;
 * running it is refused ({@link BrokenSpellException}) until its files are fixed.
 *
 * <p>
 * Thread-safe: readers see an immutable snapshot that a refresh replaces in one write.
 */
@Component
public class SpellCatalog implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SpellCatalog.class);

	/**
	 * A scanned folder: the spell, or why it cannot run, and the stamp it was loaded at.
	 */
	private record Entry(FolderStamp stamp, Spell spell, BrokenSpell broken) {
	}

	private record Snapshot(Map<String, Entry> entries, Map<String, Spell> spells, Map<String, BrokenSpell> broken) {

		static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());

		static Snapshot of(TreeMap<String, Entry> entries) {
			Map<String, Spell> spells = new LinkedHashMap<>();
			Map<String, BrokenSpell> broken = new LinkedHashMap<>();
			entries.forEach((name, entry) -> {
				if (entry.spell() != null) {
					spells.put(name, entry.spell());
				}
				else {
					broken.put(name, entry.broken());
				}
			});
			return new Snapshot(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(spells),
					Collections.unmodifiableMap(broken));
		}

	}

	private final SpellProperties properties;

	private final SpellLoader loader;

	private volatile Snapshot snapshot = Snapshot.EMPTY;

	// Scans are serialised on their own lock so that lifecycle calls never wait for one.
	private final Object scanLock = new Object();

	private boolean warnedMissingDir;

	private ScheduledExecutorService scheduler;

	@Autowired
	public SpellCatalog(SpellProperties properties) {
		this(properties, new SpellLoader());
	}

	SpellCatalog(SpellProperties properties, SpellLoader loader) {
		this.properties = properties;
		this.loader = loader;
		// Scanned here, not on start(), so that any bean can use the catalog as soon as
		// it is injected.
		refresh();
	}

	/**
	 * The spell of that name; empty for unknown, broken and invalid names ({@code ../x}),
	 * never touching the disk.
	 */
	public Optional<Spell> find(String name) {
		if (!SpellNames.isValid(name)) {
			return Optional.empty();
		}
		return Optional.ofNullable(snapshot.spells().get(name));
	}

	/**
	 * The spell of that name, ready to run.
	 * @throws UnknownSpellException when there is none
	 * @throws BrokenSpellException when its files cannot be loaded
	 */
	public Spell get(String name) {
		Optional<Spell> spell = find(name);
		if (spell.isPresent()) {
			return spell.get();
		}
		throw broken(name).<RuntimeException>map(BrokenSpellException::new)
			.orElseGet(() -> new UnknownSpellException(name));
	}

	/**
	 * The broken spell of that name: empty for a sound one, an unknown or invalid name.
	 */
	public Optional<BrokenSpell> broken(String name) {
		if (!SpellNames.isValid(name)) {
			return Optional.empty();
		}
		return Optional.ofNullable(snapshot.broken().get(name));
	}

	/** The spells that can run, sorted by name. */
	public List<Spell> list() {
		return List.copyOf(snapshot.spells().values());
	}

	/** The spells that cannot run until their files are fixed, sorted by name. */
	public List<BrokenSpell> brokenSpells() {
		return List.copyOf(snapshot.broken().values());
	}

	/**
	 * Why each broken spell cannot run, by spell name: {@link BrokenSpell#describe()}.
	 */
	public Map<String, String> problems() {
		Map<String, String> problems = new TreeMap<>();
		snapshot.broken().forEach((name, broken) -> problems.put(name, broken.describe()));
		return problems;
	}

	/**
	 * Rescans the spells folder now, reloading only the folders that changed since the
	 * last scan.
	 */
	public void refresh() {
		synchronized (this.scanLock) {
			scanNow();
		}
	}

	private void scanNow() {
		Path dir = properties.dir();
		if (!Files.isDirectory(dir)) {
			// Warned once, not on every scheduled scan.
			if (!warnedMissingDir) {
				log.warn("Spells folder {} does not exist; no spells are served", dir.toAbsolutePath().normalize());
				warnedMissingDir = true;
			}
			logRemoved(snapshot.entries(), Map.of());
			snapshot = Snapshot.EMPTY;
			return;
		}
		warnedMissingDir = false;
		List<Path> folders;
		try (Stream<Path> children = Files.list(dir)) {
			folders = children.filter(Files::isDirectory).sorted().toList();
		}
		catch (IOException ex) {
			log.warn("Spells folder {} cannot be read, keeping the spells loaded before: {}", dir, ex.toString());
			return;
		}
		Map<String, Entry> previous = snapshot.entries();
		TreeMap<String, Entry> next = new TreeMap<>();
		for (Path folder : folders) {
			String name = folder.getFileName().toString();
			if (SpellNames.isValid(name)) {
				next.put(name, scan(name, folder, previous.get(name)));
			}
			else if (!name.startsWith(".")) {
				log.debug("Folder {} ignored: not a valid spell name", folder);
			}
		}
		logRemoved(previous, next);
		snapshot = Snapshot.of(next);
	}

	private Entry scan(String name, Path folder, Entry previous) {
		FolderStamp stamp;
		try {
			// Taken before loading: a file written during the load changes the stamp, so
			// the next scan reloads.
			stamp = FolderStamp.of(folder);
		}
		catch (IOException ex) {
			stamp = null;
		}
		if (previous != null && stamp != null && stamp.equals(previous.stamp())) {
			return previous;
		}
		try {
			Spell spell = loader.load(folder);
			log.info("Spell '{}' {} from {}", name, (previous == null) ? "loaded" : "reloaded", folder);
			return new Entry(stamp, spell, null);
		}
		catch (SpellLoadException ex) {
			log.warn("Spell '{}' is broken: {}", name, ex.getMessage());
			return new Entry(stamp, null, broken(name, folder, ex));
		}
		catch (RuntimeException ex) {
			// the log has the details; the catalog's clients get no Java class names
			log.warn("Spell '{}' is broken: {}", name, ex.toString(), ex);
			return new Entry(stamp, null,
					new BrokenSpell(name, null, 0, "cannot be loaded (the server's log says why)"));
		}
	}

	private static BrokenSpell broken(String name, Path folder, SpellLoadException ex) {
		Path dir = folder.normalize();
		Path file = ex.file().normalize();
		String relative = file.startsWith(dir) ? dir.relativize(file).toString().replace('\\', '/')
				: String.valueOf(file.getFileName());
		return new BrokenSpell(name, relative.isEmpty() ? null : relative, ex.line(), ex.reason());
	}

	private static void logRemoved(Map<String, Entry> previous, Map<String, Entry> next) {
		previous.keySet()
			.stream()
			.filter((name) -> !next.containsKey(name))
			.forEach((name) -> log.info("Spell '{}' removed", name));
	}

	@Override
	public synchronized void start() {
		Duration interval = properties.refreshInterval();
		if (scheduler != null || !properties.refreshEnabled()) {
			return;
		}
		scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "spell-catalog-refresh");
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(1, interval.toMillis());
		scheduler.scheduleWithFixedDelay(this::scheduledRefresh, millis, millis, TimeUnit.MILLISECONDS);
	}

	// An exception escaping a scheduled task would silently cancel every later run.
	private void scheduledRefresh() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			log.warn("Refreshing the spell catalog failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (scheduler != null) {
			scheduler.shutdownNow();
			scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return scheduler != null;
	}

}
