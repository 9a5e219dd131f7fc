package dev.chorus.dispatch.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.chorus.dispatch.JobAssignments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
 * the real config mapping, and turned into a worker Job with the shipped template), exactly one
 * PostgreSQL per overlay, and the hardening: every pod (the worker Job's included) meets Pod Security
 * {@code restricted} in a namespace that enforces it, NetworkPolicies let only whom they should reach
 * the coordinator's two ports and PostgreSQL, no password is committed, and the Service, the probes
 * and Prometheus use the ports application.properties gives. Without kubectl it fails under CI=true
 * and is skipped elsewhere.
 */
class KustomizeTest {

    private static final Path K8S = Path.of("k8s");

    @TempDir
    Path tmp;

    /** The namespace labels that let an ingress controller, and Prometheus, in (docs/kubernetes.md). */
    private static final Map<String, String> INGRESS_NAMESPACE = Map.of("chorus.dev/ingress", "true");
    private static final Map<String, String> MONITORING_NAMESPACE = Map.of("chorus.dev/monitoring", "true");

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

        Map<String, Object> jobPod = cast(new Yaml().load(new KubernetesSerialization().asYaml(job.getSpec().getTemplate())));
        assertEveryPodRestricted(out, at(jobPod, "spec"));
        Map<String, String> namespace = assertNamespaceRestricted(out);
        assertPortsAndProbes(out, deployment, container);
        assertNoCommittedSecrets(out, at(jobPod, "spec"));
        Map<String, String> coordinatorLabels = cast(at(deployment, "spec", "template", "metadata", "labels"));
        Map<String, String> workerLabels = cast(at(jobPod, "metadata", "labels"));
        assertNetworkPolicies(new Policies(out.all("NetworkPolicy"), namespace), coordinatorLabels, workerLabels,
                databasePodLabels(out));

        int flavours = out.all("Cluster").size() + out.all("StatefulSet").size();
        assertThat(flavours).as("PostgreSQL flavours in %s", dir).isEqualTo(dir.endsWith("base") ? 0 : 1);
        out.all("Cluster").forEach(c -> assertThat(at(c, "metadata")).containsEntry("name", "chorus-db"));
        if (!out.all("StatefulSet").isEmpty()) {
            // the database reads its password from the Secret the user creates, as the coordinator does
            Map<String, Object> postgres = first(at(out.all("StatefulSet").getFirst(), "spec", "template", "spec").get("containers"));
            assertThat(list(postgres.get("env"))).filteredOn(e -> "POSTGRES_PASSWORD".equals(e.get("name"))).singleElement()
                    .satisfies(e -> assertThat(at(e, "valueFrom", "secretKeyRef"))
                            .containsEntry("name", "chorus-db-app").containsEntry("key", "password"));
            assertThat(out.one("Service", "chorus-db-rw")).isNotNull();
        }
    }

    /**
     * Every pod template, the worker Job's included: Pod Security {@code restricted} on each container and
     * init container, a numeric non-root user, a read-only root file system with an emptyDir at /tmp.
     */
    private static void assertEveryPodRestricted(Rendered out, Map<String, Object> workerPod) {
        List<Map<String, Object>> pods = new ArrayList<>(List.of(workerPod));
        for (String kind : List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet")) {
            out.all(kind).forEach(o -> pods.add(at(o, "spec", "template", "spec")));
        }
        out.all("CronJob").forEach(o -> pods.add(at(o, "spec", "jobTemplate", "spec", "template", "spec")));
        out.all("Pod").forEach(o -> pods.add(at(o, "spec")));
        for (Map<String, Object> pod : pods) {
            Map<String, Object> podSecurity = at(pod, "securityContext");
            assertThat(pod).doesNotContainEntry("hostNetwork", true).doesNotContainEntry("hostPID", true)
                    .doesNotContainEntry("hostIPC", true);
            assertThat(list(pod.get("volumes"))).noneMatch(v -> v.containsKey("hostPath"));
            List<Map<String, Object>> containers = new ArrayList<>(list(pod.get("initContainers")));
            containers.addAll(list(pod.get("containers")));
            for (Map<String, Object> c : containers) {
                String name = (String) c.get("name");
                Map<String, Object> security = at(c, "securityContext");
                assertThat(security).as("container %s", name).containsEntry("runAsNonRoot", true)
                        .containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true)
                        .doesNotContainEntry("privileged", true);
                assertThat(strings(at(security, "capabilities").get("drop"))).as("container %s", name).contains("ALL");
                assertThat(at(security, "seccompProfile")).as("container %s", name).containsEntry("type", "RuntimeDefault");
                Object user = security.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
                assertThat(user).as("container %s: a numeric user", name).isInstanceOf(Integer.class);
                assertThat((Integer) user).as("container %s: not root", name).isPositive();
                String tmp = list(c.get("volumeMounts")).stream().filter(m -> "/tmp".equals(m.get("mountPath")))
                        .map(m -> (String) m.get("name")).findFirst()
                        .orElseThrow(() -> new AssertionError("container " + name + ": nothing writable at /tmp"));
                assertThat(list(pod.get("volumes"))).as("container %s: /tmp", name)
                        .anyMatch(v -> tmp.equals(v.get("name")) && v.containsKey("emptyDir"));
            }
        }
    }

    /** The one Namespace, with Pod Security {@code restricted}, holding everything else. @return its labels */
    private static Map<String, String> assertNamespaceRestricted(Rendered out) {
        assertThat(out.all("Namespace")).hasSize(1);
        Map<String, Object> namespace = out.all("Namespace").getFirst();
        Map<String, String> labels = new HashMap<>(cast(at(namespace, "metadata", "labels")));
        for (String mode : List.of("enforce", "audit", "warn")) {
            assertThat(labels).containsEntry("pod-security.kubernetes.io/" + mode, "restricted");
        }
        String name = (String) at(namespace, "metadata").get("name");
        for (Map<String, Object> doc : out.docs()) {
            if (!List.of("Namespace", "ClusterRole", "ClusterRoleBinding").contains(doc.get("kind"))) {
                assertThat(at(doc, "metadata")).as("%s %s", doc.get("kind"), at(doc, "metadata").get("name"))
                        .containsEntry("namespace", name);
            }
        }
        labels.put("kubernetes.io/metadata.name", name); // set by the API server
        return labels;
    }

    /**
     * The Service publishes the public port only; the probes and Prometheus's annotations use the
     * management port, which the application opens on the pod's address; both are the ports
     * application.properties gives.
     */
    private static void assertPortsAndProbes(Rendered out, Map<String, Object> deployment, Map<String, Object> container)
            throws IOException {
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        int http = Integer.parseInt(app.getProperty("quarkus.http.port"));
        int management = Integer.parseInt(app.getProperty("quarkus.management.port"));
        Map<String, Integer> ports = new HashMap<>();
        list(container.get("ports")).forEach(p -> ports.put((String) p.get("name"), (Integer) p.get("containerPort")));
        assertThat(ports).containsValues(http, management);

        Map<String, String> podLabels = cast(at(deployment, "spec", "template", "metadata", "labels"));
        List<Map<String, Object>> services = out.all("Service").stream()
                .filter(svc -> matches(cast(at(svc, "spec").get("selector")), podLabels)).toList();
        assertThat(services).extracting(svc -> at(svc, "metadata").get("name")).containsExactly("chorus");
        assertThat(list(at(services.getFirst(), "spec").get("ports"))).singleElement()
                .satisfies(p -> assertThat(resolve(p.get("targetPort"), ports)).as("the Service's target").isEqualTo(http));

        Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        probes.forEach((probe, path) -> {
            Map<String, Object> get = at(container, probe, "httpGet");
            assertThat(get).as(probe).containsEntry("path", path);
            assertThat(resolve(get.get("port"), ports)).as(probe + " port").isEqualTo(management);
        });
        assertThat(list(container.get("env"))).as("the management interface listens on the pod's address")
                .anySatisfy(e -> assertThat(e).containsEntry("name", "QUARKUS_MANAGEMENT_HOST").containsEntry("value", "0.0.0.0"));
        Map<String, Object> annotations = at(deployment, "spec", "template", "metadata", "annotations");
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(management))
                .containsEntry("prometheus.io/path", "/q/metrics");
    }

    /** A container port by name or number. */
    private static int resolve(Object port, Map<String, Integer> named) {
        return port instanceof Integer number ? number
                : java.util.Optional.ofNullable(named.get((String) port)).orElseThrow(() -> new AssertionError("no port " + port));
    }

    /**
     * No credential is committed: nothing renders a Secret (CloudNativePG or the user makes them), no
     * placeholder password appears anywhere, and every variable named like a credential comes from a Secret.
     */
    private static void assertNoCommittedSecrets(Rendered out, Map<String, Object> workerPod) {
        assertThat(out.all("Secret")).as("Secrets in the manifests").isEmpty();
        assertThat(out.text().toLowerCase(java.util.Locale.ROOT)).doesNotContain("change-me", "changeme", "password=");
        List<Map<String, Object>> containers = new ArrayList<>(list(workerPod.get("containers")));
        for (String kind : List.of("Deployment", "StatefulSet")) {
            out.all(kind).forEach(o -> containers.addAll(list(at(o, "spec", "template", "spec").get("containers"))));
        }
        for (Map<String, Object> c : containers) {
            for (Map<String, Object> e : list(c.get("env"))) {
                if (((String) e.get("name")).matches("(?i).*(password|token|secret).*")) {
                    assertThat(e).as("variable %s", e.get("name")).doesNotContainKey("value");
                    assertThat(at(e, "valueFrom")).as("variable %s", e.get("name")).containsKey("secretKeyRef");
                }
            }
        }
        for (Map<String, Object> configMap : out.all("ConfigMap")) {
            Map<String, Object> data = cast(configMap.getOrDefault("data", Map.of()));
            assertThat(data.keySet()).as("ConfigMap %s", at(configMap, "metadata").get("name"))
                    .noneMatch(k -> k.matches("(?i).*(password|token).*"));
        }
    }

    /** The pods of the overlay's PostgreSQL, by their labels; none in the base. */
    private static java.util.Optional<Map<String, String>> databasePodLabels(Rendered out) {
        if (!out.all("Cluster").isEmpty()) { // CloudNativePG labels its instances so
            return java.util.Optional.of(Map.of("cnpg.io/cluster", (String) at(out.all("Cluster").getFirst(), "metadata").get("name")));
        }
        return out.all("StatefulSet").stream().findFirst()
                .map(set -> cast(at(set, "spec", "template", "metadata", "labels")));
    }

    /**
     * Who may connect, as the rendered NetworkPolicies decide: the coordinator's public port from its
     * workers and the ingress controller's namespace, its management port from the monitoring namespace,
     * PostgreSQL from the coordinator only, and nothing else.
     */
    private static void assertNetworkPolicies(Policies policies, Map<String, String> coordinator,
                                              Map<String, String> worker, java.util.Optional<Map<String, String>> database) {
        Map<String, String> ingressNamespace = new HashMap<>(INGRESS_NAMESPACE);
        ingressNamespace.put("kubernetes.io/metadata.name", "ingress-nginx");
        Map<String, String> monitoringNamespace = new HashMap<>(MONITORING_NAMESPACE);
        monitoringNamespace.put("kubernetes.io/metadata.name", "monitoring");
        Map<String, String> elsewhere = Map.of("kubernetes.io/metadata.name", "default");
        Map<String, String> controller = Map.of("app.kubernetes.io/name", "ingress-nginx");
        Map<String, String> prometheus = Map.of("app.kubernetes.io/name", "prometheus");
        Map<String, String> stranger = Map.of("app", "stranger");

        assertThat(policies.allows(coordinator, 8080, worker, null)).as("workers -> coordinator:8080").isTrue();
        assertThat(policies.allows(coordinator, 8080, controller, ingressNamespace)).as("ingress -> coordinator:8080").isTrue();
        assertThat(policies.allows(coordinator, 9000, prometheus, monitoringNamespace)).as("monitoring -> coordinator:9000").isTrue();
        assertThat(policies.allows(coordinator, 9000, worker, null)).as("workers -> coordinator:9000").isFalse();
        assertThat(policies.allows(coordinator, 9000, controller, ingressNamespace)).as("ingress -> coordinator:9000").isFalse();
        assertThat(policies.allows(coordinator, 8080, prometheus, monitoringNamespace)).as("monitoring -> coordinator:8080").isFalse();
        assertThat(policies.allows(coordinator, 8080, stranger, null)).as("another pod -> coordinator:8080").isFalse();
        assertThat(policies.allows(coordinator, 8080, stranger, elsewhere)).as("another namespace -> coordinator:8080").isFalse();
        assertThat(policies.allows(worker, 8080, coordinator, null)).as("nothing reaches a worker").isFalse();
        database.ifPresent(db -> {
            assertThat(policies.allows(db, 5432, coordinator, null)).as("coordinator -> PostgreSQL").isTrue();
            assertThat(policies.allows(db, 5432, worker, null)).as("workers -> PostgreSQL").isFalse();
            assertThat(policies.allows(db, 5432, stranger, null)).as("another pod -> PostgreSQL").isFalse();
            assertThat(policies.allows(db, 5432, controller, ingressNamespace)).as("ingress -> PostgreSQL").isFalse();
            assertThat(policies.allows(db, 5432, prometheus, monitoringNamespace)).as("monitoring -> PostgreSQL").isFalse();
        });
    }

    /**
     * The ingress rules of NetworkPolicies in one namespace, evaluated as Kubernetes does for
     * {@code matchLabels} selectors (others are refused here, so that none is misread).
     */
    private record Policies(List<Map<String, Object>> all, Map<String, String> namespace) {
        Policies {
            for (Map<String, Object> policy : all) {
                assertThat(strings(at(policy, "spec").get("policyTypes"))).as("policy %s", name(policy)).contains("Ingress");
                assertThat(policy.toString()).as("policy %s", name(policy)).doesNotContain("matchExpressions", "ipBlock");
                list(at(policy, "spec").get("ingress")).stream().flatMap(rule -> list(rule.get("ports")).stream())
                        .forEach(p -> assertThat(p.get("port")).as("policy %s: ports by number", name(policy))
                                .isInstanceOf(Integer.class));
            }
        }

        /**
         * Whether a pod labelled {@code peer}, in a namespace labelled {@code peerNamespace} (null: this
         * one), may connect to {@code port} of a pod labelled {@code target} in this namespace.
         */
        boolean allows(Map<String, String> target, int port, Map<String, String> peer, Map<String, String> peerNamespace) {
            List<Map<String, Object>> selecting = all.stream()
                    .filter(p -> matches(cast(at(p, "spec", "podSelector").get("matchLabels")), target)).toList();
            assertThat(selecting).as("a policy isolates %s (default deny)", target).isNotEmpty();
            Map<String, String> from = peerNamespace == null ? namespace : peerNamespace;
            // a rule without ports allows every port, one without peers every peer
            return selecting.stream().flatMap(p -> list(at(p, "spec").get("ingress")).stream()).anyMatch(rule -> {
                List<Map<String, Object>> ports = list(rule.get("ports"));
                List<Map<String, Object>> peers = list(rule.get("from"));
                return (ports.isEmpty() || ports.stream().anyMatch(p -> Integer.valueOf(port).equals(p.get("port"))))
                        && (peers.isEmpty() || peers.stream().anyMatch(f -> admits(f, peer, from, peerNamespace == null)));
            });
        }

        private static boolean admits(Map<String, Object> from, Map<String, String> peer, Map<String, String> peerNamespace,
                                      boolean sameNamespace) {
            Map<String, Object> pods = cast(from.get("podSelector"));
            Map<String, Object> namespaces = cast(from.get("namespaceSelector"));
            boolean namespaceOk = namespaces == null ? sameNamespace : matches(cast(namespaces.get("matchLabels")), peerNamespace);
            return namespaceOk && (pods == null || matches(cast(pods.get("matchLabels")), peer));
        }

        private static Object name(Map<String, Object> policy) {
            return at(policy, "metadata").get("name");
        }
    }

    /** Whether a {@code matchLabels} selector (null or empty: everything) selects {@code labels}. */
    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector == null || labels.entrySet().containsAll(selector.entrySet());
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

    /** The documents of one rendering, by kind and name, and its text. */
    private record Rendered(List<Map<String, Object>> docs, String text) {
        Rendered(String yaml) {
            this(load(yaml), yaml);
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
