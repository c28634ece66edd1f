package dev.sieve.train;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link TrainMain} as a Kubernetes {@code batch/v1} Job, built and watched through the fabric8
 * client (its kube config: {@code ~/.kube/config}, {@code KUBECONFIG} or the in-cluster service
 * account). One container runs {@code java ... dev.sieve.train.TrainMain --spec ... --run-dir ...}
 * from an image that holds Sieve's jars ({@link Options#classPath}); the run folder is a volume (a
 * PVC or a host path) mounted in the pod at the same path it has here, so the spec, checkpoints,
 * {@code metrics.jsonl} and {@code exit.json} are where the launcher looks. {@code restartPolicy:
 * OnFailure} and {@code backoffLimit} retry a failed pod, which resumes from the newest checkpoint.
 * The Job and its pod carry {@code sieve.dev/run-id}. {@code launch.json} records
 * {@code "backend": "kubernetes"}, the namespace and the Job name. State comes from the Job's
 * conditions ({@code Complete}, {@code Failed}) and counts; logs from its newest pod; cancel deletes
 * the Job with foreground propagation (its pods go with it).
 */
public final class KubernetesLauncher implements Launcher {
  public static final String BACKEND = "kubernetes";
  public static final String RUN_ID_LABEL = "sieve.dev/run-id";
  public static final String CONTAINER = "train";

  /**
   * The Job's settings. {@code claim} names a PersistentVolumeClaim for the run folder; without one
   * {@code hostPath} (default: the run folder's own path) is mounted, which suits a single-node
   * cluster or nodes that mount the same shared file system. {@code dataMounts} are more volumes
   * (shards, tokenizer) mounted read-only at the same paths as here.
   *
   * @param image the container image (holds a JDK 17+ and Sieve's jars)
   * @param namespace the namespace (default {@code default})
   * @param cpu CPU request and limit (e.g. {@code 4}, {@code 500m}; null: none)
   * @param memory memory request and limit (e.g. {@code 16Gi}; null: none)
   * @param gpus {@code nvidia.com/gpu} limit (0: none)
   * @param backoffLimit pod retries before the Job fails
   * @param claim PVC holding the run folder, or null
   * @param hostPath host path holding the run folder when there is no claim (null: the run folder's path)
   * @param dataMounts host paths mounted read-only at the same path (shards, tokenizers)
   * @param jvmArgs options for the training JVM
   * @param java the {@code java} in the image
   * @param classPath the class path in the image
   * @param serviceAccount the pod's service account, or null
   */
  public record Options(String image, String namespace, String cpu, String memory, int gpus, int backoffLimit, String claim,
      String hostPath, List<String> dataMounts, List<String> jvmArgs, String java, String classPath, String serviceAccount) {
    public Options {
      if (image == null || image.isBlank()) throw new IllegalArgumentException("the Kubernetes backend needs a container image");
      if (namespace == null || namespace.isBlank()) namespace = "default";
      if (gpus < 0 || backoffLimit < 0) throw new IllegalArgumentException("gpus and backoffLimit must be >= 0");
      dataMounts = List.copyOf(dataMounts == null ? List.of() : dataMounts);
      jvmArgs = List.copyOf(jvmArgs == null ? List.of() : jvmArgs);
      if (java == null || java.isBlank()) java = "java";
      if (classPath == null || classPath.isBlank()) classPath = "/opt/sieve/lib/*";
    }

    /** An image in namespace {@code default}: 1 CPU, 4Gi, no GPU, 3 retries, host-path run folder, {@code -Xmx2g}. */
    public static Options of(String image) {
      return new Options(image, "default", "1", "4Gi", 0, 3, null, null, List.of(), List.of("-Xmx2g"), null, null, null);
    }

    public Options withNamespace(String ns) {
      return new Options(image, ns, cpu, memory, gpus, backoffLimit, claim, hostPath, dataMounts, jvmArgs, java, classPath, serviceAccount);
    }

    public Options withResources(String c, String m, int g) {
      return new Options(image, namespace, c, m, g, backoffLimit, claim, hostPath, dataMounts, jvmArgs, java, classPath, serviceAccount);
    }

    public Options withClaim(String c) {
      return new Options(image, namespace, cpu, memory, gpus, backoffLimit, c, hostPath, dataMounts, jvmArgs, java, classPath, serviceAccount);
    }

    public Options withDataMounts(List<String> d) {
      return new Options(image, namespace, cpu, memory, gpus, backoffLimit, claim, hostPath, d, jvmArgs, java, classPath, serviceAccount);
    }

    public Options withJvmArgs(List<String> j) {
      return new Options(image, namespace, cpu, memory, gpus, backoffLimit, claim, hostPath, dataMounts, j, java, classPath, serviceAccount);
    }
  }

  private final Options options;
  private final KubernetesClient client;

  /** With the client fabric8 configures from the environment. */
  public KubernetesLauncher(Options options) {
    this(options, new KubernetesClientBuilder().build());
  }

  public KubernetesLauncher(Options options, KubernetesClient client) {
    this.options = options;
    this.client = client;
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  /**
   * A DNS-1123 label from a run folder's name: lower case letters, digits and '-', at most 63
   * characters; a name that had to change gets a short hash of the original so two runs never share it.
   */
  static String label(String runId, String prefix) {
    String clean = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    String name = prefix + clean;
    if (!clean.equals(runId) || name.length() > 63) {
      String hash = sha(runId).substring(0, 8);
      name = (name.length() > 54 ? name.substring(0, 54) : name).replaceAll("-+$", "") + "-" + hash;
    }
    return name;
  }

  private static String sha(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String runId(Path runDir) {
    return runDir.toAbsolutePath().getFileName().toString();
  }

  /** The Job's name for a run folder: {@code sieve-train-<run id>}. */
  public static String jobName(Path runDir) {
    return label(runId(runDir), "sieve-train-");
  }

  /** The training command in the container. */
  List<String> command(Path spec, Path runDir) {
    return TrainMain.commandLine(options.java(), options.jvmArgs(), options.classPath(), spec, runDir);
  }

  /** The Job for a run ({@code spec} must lie in the run folder or a data mount, where the pod sees it). */
  public io.fabric8.kubernetes.api.model.batch.v1.Job manifest(Path spec, Path runDir) {
    Path dir = runDir.toAbsolutePath();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "sieve-train");
    labels.put(RUN_ID_LABEL, label(runId(dir), ""));
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (options.cpu() != null && !options.cpu().isBlank()) {
      requests.put("cpu", new Quantity(options.cpu()));
      limits.put("cpu", new Quantity(options.cpu()));
    }
    if (options.memory() != null && !options.memory().isBlank()) {
      requests.put("memory", new Quantity(options.memory()));
      limits.put("memory", new Quantity(options.memory()));
    }
    if (options.gpus() > 0) limits.put("nvidia.com/gpu", new Quantity(Integer.toString(options.gpus())));

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    VolumeBuilder run = new VolumeBuilder().withName("run-dir");
    if (options.claim() != null && !options.claim().isBlank()) {
      run.withNewPersistentVolumeClaim().withClaimName(options.claim()).endPersistentVolumeClaim();
    } else {
      String host = options.hostPath() != null && !options.hostPath().isBlank() ? options.hostPath() : dir.toString();
      run.withNewHostPath().withPath(host).withType("DirectoryOrCreate").endHostPath();
    }
    volumes.add(run.build());
    mounts.add(new VolumeMountBuilder().withName("run-dir").withMountPath(dir.toString()).build());
    for (int i = 0; i < options.dataMounts().size(); i++) {
      String p = options.dataMounts().get(i);
      volumes.add(new VolumeBuilder().withName("data-" + i).withNewHostPath().withPath(p).withType("Directory").endHostPath().build());
      mounts.add(new VolumeMountBuilder().withName("data-" + i).withMountPath(p).withReadOnly(true).build());
    }

    return new JobBuilder()
        .withNewMetadata().withName(jobName(dir)).withNamespace(options.namespace()).withLabels(labels).endMetadata()
        .withNewSpec()
          .withBackoffLimit(options.backoffLimit())
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withRestartPolicy("OnFailure")
              .withServiceAccountName(options.serviceAccount())
              .addNewContainer()
                .withName(CONTAINER)
                .withImage(options.image())
                .withCommand(command(spec, dir))
                .withWorkingDir(dir.toString())
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .withVolumeMounts(mounts)
              .endContainer()
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** The manifest as YAML (what {@code kubectl apply -f} would take). */
  public String manifestYaml(Path spec, Path runDir) {
    return Serialization.asYaml(manifest(spec, runDir));
  }

  @Override
  public KubernetesJob submit(Path spec, Path runDir) {
    Path dir = runDir.toAbsolutePath();
    Path inRun;
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(RunFiles.EXIT));
      // The pod sees the run folder: the spec goes there unless it is there already.
      inRun = spec.toAbsolutePath().startsWith(dir) ? spec.toAbsolutePath() : dir.resolve("spec.yaml");
      if (!inRun.equals(spec.toAbsolutePath())) Files.copy(spec, inRun, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve("job.yaml"), manifestYaml(inRun, dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the run folder " + dir, e);
    }
    io.fabric8.kubernetes.api.model.batch.v1.Job job = manifest(inRun, dir);
    String name = job.getMetadata().getName();
    // A finished Job of the same run (an earlier attempt) gives way to the new one.
    client.batch().v1().jobs().inNamespace(options.namespace()).withName(name).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    client.batch().v1().jobs().inNamespace(options.namespace()).resource(job).create();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("backend", BACKEND);
    info.put("namespace", options.namespace());
    info.put("job_name", name);
    info.put("image", options.image());
    info.put("command", command(inRun, dir));
    info.put("submit_time", Instant.now().toString());
    info.put("spec", JobSpec.recordedPath(dir, inRun));
    RunFiles.writeLaunch(dir, info);
    return new KubernetesJob(client, dir, options.namespace(), name);
  }

  @Override
  public KubernetesJob job(Path runDir) {
    return attach(runDir, client);
  }

  /** A handle on a Kubernetes run from its {@code launch.json}, with the client fabric8 configures from the environment. */
  public static KubernetesJob attach(Path runDir) {
    return attach(runDir, new KubernetesClientBuilder().build());
  }

  static KubernetesJob attach(Path runDir, KubernetesClient client) {
    Map<String, Object> info = RunFiles.readLaunch(runDir);
    if (!BACKEND.equals(info.get("backend"))) throw new IllegalArgumentException(runDir + " is not a Kubernetes run (backend " + info.get("backend") + ")");
    return new KubernetesJob(client, runDir.toAbsolutePath(), String.valueOf(info.get("namespace")), String.valueOf(info.get("job_name")));
  }
}
