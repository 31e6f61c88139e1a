import java.io.*;
import java.lang.reflect.*;
import java.nio.file.*;
import java.util.*;
import io.fabric8.kubernetes.api.model.*;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Parses each document into fabric8's typed Kubernetes model; reports unknown fields (left in additionalProperties) and type errors. */
public class Validate {
  static int problems = 0;
  public static void main(String[] args) throws Exception {
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String file : args) {
      String text = Files.readString(Path.of(file));
      for (String doc : text.split("(?m)^---\\s*$")) {
        if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) continue;
        Object parsed = serialization.unmarshal(doc);
        if (parsed instanceof GenericKubernetesResource g) {
          System.out.println(file + ": " + g.getKind() + " " + g.getMetadata().getName() + ": NOT a known typed kind (" + g.getApiVersion() + ")");
          problems++;
          continue;
        }
        HasMetadata resource = (HasMetadata) parsed;
        List<String> unknown = new ArrayList<>();
        walk(resource, resource.getKind(), unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
        System.out.println(file + ": " + resource.getApiVersion() + " " + resource.getKind() + " " + resource.getMetadata().getName() + (unknown.isEmpty() ? ": ok" : ": UNKNOWN FIELDS " + unknown));
        problems += unknown.size();
      }
    }
    System.out.println(problems == 0 ? "all documents valid" : problems + " problem(s)");
    System.exit(problems == 0 ? 0 : 1);
  }
  static void walk(Object o, String path, List<String> unknown, Set<Object> seen) throws Exception {
    if (o == null || !seen.add(o)) return;
    if (o instanceof Collection<?> c) { int i = 0; for (Object e : c) walk(e, path + "[" + i++ + "]", unknown, seen); return; }
    if (o instanceof Map<?, ?> m) { for (var e : m.entrySet()) walk(e.getValue(), path + "." + e.getKey(), unknown, seen); return; }
    if (!o.getClass().getName().startsWith("io.fabric8")) return;
    for (Method method : o.getClass().getMethods()) {
      if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) continue;
      Object value = method.invoke(o);
      if (method.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) unknown.add(path + ":" + extra.keySet());
        continue;
      }
      walk(value, path + "." + method.getName().substring(3), unknown, seen);
    }
  }
}
