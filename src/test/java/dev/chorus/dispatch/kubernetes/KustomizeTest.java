package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders k8s/, its base and every overlay with {@code kubectl kustomize} and checks what a cluster
 * would get: the coordinator, RBAC scoped to Jobs and Pods, the dispatcher's ConfigMap (read through
 * the real config mapping, and turned into a worker Job with the shipped template), and exactly one
 * PostgreSQL per overlay. Without kubectl it fails under CI=true and is skipped elsewhere.
 */
class KustomizeTest {

    private static final Path K8S = Path.of("k8s");

    @TempDir
    Path tmp;

    static Stream<Path> directories() throws IOException {
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            return Stream.concat(Stream.of(K8S, K8S.resolve("base")), overlays.filter(Files::isDirectory).sorted().toList().stream());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("directories")
    void rendersWhatTheClusterNeeds(Path dir) throws Exception {
        Rendered out = new Rendered(kustomize(dir));

        Map<String, Object> deployment = out.one("Deployment", "chorus-coordinator");
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = first(pod.get("containers"));
        assertThat(container.get("args")).isEqualTo(List.of("serve"));
        assertThat(out.one("Service", "chorus")).isNotNull();
        assertDatabaseFromSecret(container);
        assertRbacLimitedToJobsAndPods(out, (String) pod.get("serviceAccountName"));

        Map<String, String> config = cast(at(out.one("ConfigMap", "chorus-config"), "data"));
        assertThat(config).containsEntry("CHORUS_KUBERNETES_ENABLED", "true")
                .containsEntry("CHORUS_WORKER_PROCESSES", "0").containsEntry("CHORUS_WORKER_ENABLED", "false")
                .containsEntry("CHORUS_KUBERNETES_CONFIG_MAP", "chorus-config");
        assertThat(envFromConfigMaps(container)).contains("chorus-config");
        // no loopback admin in a pod (port-forward is loopback); tokens from Secrets, the worker's shared
        // with the worker Jobs, which get the Secret as their environment
        assertThat(config).containsEntry("CHORUS_AUTH_LOOPBACK_ADMIN", "false")
                .containsEntry("CHORUS_KUBERNETES_SECRET", "chorus-worker");
        Map<String, Map<String, Object>> secretEnv = new java.util.HashMap<>();
        for (Map<String, Object> e : list(container.get("env"))) {
            if (e.get("valueFrom") != null) {
                secretEnv.put((String) e.get("name"), at(e, "valueFrom", "secretKeyRef"));
            }
        }
        assertThat(secretEnv.get("CHORUS_AUTH_ADMIN_TOKEN")).containsEntry("name", "chorus-admin");
        assertThat(secretEnv.get("CHORUS_AUTH_WORKER_TOKEN")).containsEntry("name", "chorus-worker")
                .containsEntry("key", "CHORUS_WORKER_TOKEN");
        assertThat(out.one("ServiceAccount", config.get("CHORUS_KUBERNETES_SERVICE_ACCOUNT"))).isNotNull();

        Job job = workerJob(out, pod, container, config);
        Container worker = WorkerJobs.workerContainer(job);
        // the coordinator and the workers see the studies' data at the same path
        String claim = config.get("CHORUS_KUBERNETES_DATA_CLAIM");
        assertThat(out.one("PersistentVolumeClaim", claim)).isNotNull();
        String volume = list(pod.get("volumes")).stream()
                .filter(v -> v.get("persistentVolumeClaim") != null && claim.equals(at(v, "persistentVolumeClaim").get("claimName")))
                .map(v -> (String) v.get("name")).findFirst().orElseThrow();
        assertThat(list(container.get("volumeMounts"))).anySatisfy(m -> {
            assertThat(m.get("name")).isEqualTo(volume);
            assertThat(m.get("mountPath")).isEqualTo(config.get("CHORUS_KUBERNETES_DATA_PATH"));
        });
        assertThat(worker.getVolumeMounts()).anySatisfy(m ->
                assertThat(m.getMountPath()).isEqualTo(config.get("CHORUS_KUBERNETES_DATA_PATH")));
        boolean gpu = dir.endsWith("gpu");
        if (gpu) {
            assertThat(config).containsEntry("CHORUS_DEVICE", "gpu");
            assertThat(worker.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
            assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
            assertThat(job.getSpec().getTemplate().getSpec().getTolerations()).extracting(Toleration::getKey)
                    .contains("nvidia.com/gpu");
        } else {
            assertThat(worker.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        }

        int flavours = out.all("Cluster").size() + out.all("StatefulSet").size();
        assertThat(flavours).as("PostgreSQL flavours in %s", dir).isEqualTo(dir.endsWith("base") ? 0 : 1);
        out.all("Cluster").forEach(c -> assertThat(at(c, "metadata")).containsEntry("name", "chorus-db"));
        if (!out.all("StatefulSet").isEmpty()) {
            assertThat(at(out.one("Secret", "chorus-db-app"), "data"))
                    .containsKeys("host", "port", "dbname", "username", "password");
            assertThat(out.one("Service", "chorus-db-rw")).isNotNull();
        }
    }

    /** The coordinator's JDBC URL is built from the Secret's host, port and dbname, defined before it. */
    private static void assertDatabaseFromSecret(Map<String, Object> container) {
        List<Map<String, Object>> env = list(container.get("env"));
        List<String> names = env.stream().map(e -> (String) e.get("name")).toList();
        assertThat(names).containsSubsequence("DB_HOST", "QUARKUS_DATASOURCE_JDBC_URL")
                .containsSubsequence("DB_PORT", "QUARKUS_DATASOURCE_JDBC_URL")
                .containsSubsequence("DB_NAME", "QUARKUS_DATASOURCE_JDBC_URL")
                .contains("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        for (Map<String, Object> e : env) {
            if ("QUARKUS_DATASOURCE_JDBC_URL".equals(e.get("name"))) {
                assertThat(e.get("value")).isEqualTo("jdbc:postgresql://$(DB_HOST):$(DB_PORT)/$(DB_NAME)");
            } else if (((String) e.get("name")).matches("DB_.*|QUARKUS_DATASOURCE_.*")) {
                Map<String, Object> ref = at(e, "valueFrom", "secretKeyRef");
                assertThat(ref).containsEntry("name", "chorus-db-app");
            }
        }
    }

    private static void assertRbacLimitedToJobsAndPods(Rendered out, String serviceAccount) {
        assertThat(out.all("ClusterRole")).isEmpty();
        assertThat(out.all("ClusterRoleBinding")).isEmpty();
        assertThat(out.one("ServiceAccount", serviceAccount)).isNotNull();
        Map<String, Object> role = out.one("Role", "chorus-dispatcher");
        Map<String, List<String>> allowed = new HashMap<>();
        for (Map<String, Object> rule : list(role.get("rules"))) {
            for (Object group : (List<?>) rule.get("apiGroups")) {
                for (Object resource : (List<?>) rule.get("resources")) {
                    allowed.put(group + "/" + resource, strings(rule.get("verbs")));
                }
            }
        }
        assertThat(allowed).containsOnlyKeys("batch/jobs", "/pods", "/pods/log");
        assertThat(allowed.get("batch/jobs")).containsExactlyInAnyOrder("get", "list", "watch", "create", "delete");
        assertThat(allowed.get("/pods")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(allowed.get("/pods/log")).containsExactly("get");
        Map<String, Object> binding = out.one("RoleBinding", "chorus-dispatcher");
        assertThat(at(binding, "roleRef")).containsEntry("kind", "Role").containsEntry("name", "chorus-dispatcher");
        assertThat(list(binding.get("subjects"))).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("kind", "ServiceAccount").containsEntry("name", serviceAccount));
    }

    /** The Job the dispatcher would create from this rendering: its settings and its mounted template. */
    private Job workerJob(Rendered out, Map<String, Object> pod, Map<String, Object> container,
                          Map<String, String> config) throws IOException {
        Path templatePath = Path.of(config.get("CHORUS_KUBERNETES_JOB_TEMPLATE"));
        Map<String, Object> mount = list(container.get("volumeMounts")).stream()
                .filter(m -> templatePath.getParent().toString().equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + templatePath.getParent()));
        Map<String, Object> volume = list(pod.get("volumes")).stream()
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        String templateMap = (String) at(volume, "configMap").get("name");
        String yaml = (String) at(out.one("ConfigMap", templateMap), "data").get(templatePath.getFileName().toString());
        assertThat(yaml).as("template %s in ConfigMap %s", templatePath, templateMap).isNotNull();

        Map<String, String> env = new HashMap<>(config);
        env.put("CHORUS_KUBERNETES_JOB_TEMPLATE", Files.writeString(tmp.resolve("worker-job.yaml"), yaml).toString());
        DispatcherSettings settings = Settings.fromEnv(env);
        return new WorkerJobs(settings).build("chorus-worker-test",
                new JobAssignments(List.of(new JobAssignments.Claimed(1, UUID.randomUUID()))), Instant.EPOCH);
    }

    private static List<String> envFromConfigMaps(Map<String, Object> container) {
        return list(container.get("envFrom")).stream().filter(e -> e.get("configMapRef") != null)
                .map(e -> (String) at(e, "configMapRef").get("name")).toList();
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl")));
        if (!found) {
            if ("true".equals(System.getenv("CI"))) {
                fail("kubectl is not installed; CI needs it to check k8s/ (.ci/run installs it with apt-get)");
            }
            Assumptions.abort("kubectl is not installed: k8s/ not checked");
        }
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("kubectl kustomize %s:%n%s", dir, output).isZero();
        return output;
    }

    /** The documents of one rendering, by kind and name. */
    private record Rendered(List<Map<String, Object>> docs) {
        Rendered(String yaml) {
            this(load(yaml));
        }

        private static List<Map<String, Object>> load(String yaml) {
            List<Map<String, Object>> docs = new ArrayList<>();
            new Yaml().loadAll(yaml).forEach(d -> docs.add(cast(d)));
            return docs;
        }

        List<Map<String, Object>> all(String kind) {
            return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        Map<String, Object> one(String kind, String name) {
            List<Map<String, Object>> found = all(kind).stream().filter(d -> name.equals(at(d, "metadata").get("name"))).toList();
            assertThat(found).as("%s %s", kind, name).hasSize(1);
            return found.getFirst();
        }
    }

    /** The map at {@code path} below {@code map}; fails naming the missing key. */
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Object o = map;
        for (String key : path) {
            o = ((Map<?, ?>) o).get(key);
            assertThat(o).as("key %s of %s", key, String.join(".", path)).isNotNull();
        }
        return cast(o);
    }

    private static Map<String, Object> first(Object list) {
        return list(list).getFirst();
    }

    private static List<Map<String, Object>> list(Object list) {
        return list == null ? List.of() : cast(list);
    }

    private static List<String> strings(Object list) {
        return cast(list);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
