package dev.chorus.dispatch.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a worker pod meet Pod Security's {@code restricted} level, as k8s/base/worker-job.yaml does:
 * every setting the job template leaves out is filled in, every setting it gives is kept (a template
 * that needs a writable root file system says {@code readOnlyRootFilesystem: false}).
 *
 * <p>Filled in: on the pod, {@code runAsNonRoot: true}, {@code seccompProfile: RuntimeDefault}, and
 * when no container names a user, {@code runAsUser}, {@code runAsGroup} and {@code fsGroup}
 * {@value #IMAGE_USER} (the user Chorus's image runs as; volumes are changed only when their root
 * does not match); on every container and init container, {@code runAsNonRoot: true},
 * {@code allowPrivilegeEscalation: false}, {@code readOnlyRootFilesystem: true},
 * {@code capabilities.drop: [ALL]} and {@code seccompProfile: RuntimeDefault}; and an emptyDir at
 * {@code /tmp} for each container whose root file system is read-only and that mounts nothing there
 * (the JVM and PyTorch's native libraries write there).
 */
final class RestrictedPods {

    /** The numeric user of src/main/docker/Dockerfile.jvm ({@code USER 185}). */
    static final long IMAGE_USER = 185;
    static final String TMP_VOLUME = "chorus-tmp";
    private static final String RUNTIME_DEFAULT = "RuntimeDefault";

    private RestrictedPods() {
    }

    /** Fills in {@code spec}'s unset security settings, in place. */
    static void restrict(PodSpec spec) {
        List<Container> containers = Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
                .toList();
        PodSecurityContext pod = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
        pod.setRunAsNonRoot(orDefault(pod.getRunAsNonRoot(), true));
        pod.setSeccompProfile(orDefault(pod.getSeccompProfile(), new SeccompProfile(null, RUNTIME_DEFAULT)));
        boolean userNamed = pod.getRunAsUser() != null || containers.stream()
                .anyMatch(c -> c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null);
        if (!userNamed) {
            pod.setRunAsUser(IMAGE_USER);
            pod.setRunAsGroup(orDefault(pod.getRunAsGroup(), IMAGE_USER));
            pod.setFsGroup(orDefault(pod.getFsGroup(), IMAGE_USER));
            pod.setFsGroupChangePolicy(orDefault(pod.getFsGroupChangePolicy(), "OnRootMismatch"));
        }
        spec.setSecurityContext(pod);

        boolean tmpVolume = false;
        for (Container c : containers) {
            SecurityContext s = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            s.setRunAsNonRoot(orDefault(s.getRunAsNonRoot(), true));
            s.setAllowPrivilegeEscalation(orDefault(s.getAllowPrivilegeEscalation(), false));
            s.setReadOnlyRootFilesystem(orDefault(s.getReadOnlyRootFilesystem(), true));
            s.setSeccompProfile(orDefault(s.getSeccompProfile(), new SeccompProfile(null, RUNTIME_DEFAULT)));
            Capabilities caps = s.getCapabilities() == null ? new Capabilities() : s.getCapabilities();
            if (caps.getDrop().isEmpty()) {
                caps.setDrop(List.of("ALL"));
            }
            s.setCapabilities(caps);
            c.setSecurityContext(s);
            boolean tmpMounted = c.getVolumeMounts().stream().anyMatch(m -> "/tmp".equals(m.getMountPath()));
            if (s.getReadOnlyRootFilesystem() && !tmpMounted) {
                List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts());
                mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
                c.setVolumeMounts(mounts);
                tmpVolume = true;
            }
        }
        if (tmpVolume) {
            List<Volume> volumes = new ArrayList<>(spec.getVolumes());
            volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
            spec.setVolumes(volumes);
        }
    }

    private static <T> T orDefault(T value, T otherwise) {
        return value == null ? otherwise : value;
    }
}
