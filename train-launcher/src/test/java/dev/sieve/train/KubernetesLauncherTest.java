package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes backend: the Job manifest, and submit/status/cancel against fabric8's mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class KubernetesLauncherTest {
  static KubernetesClient client;
  static KubernetesMockServer server;
  @TempDir Path tmp;

  static KubernetesLauncher.Options options() {
    return KubernetesLauncher.Options.of("registry.example/sieve-train:0.1").withNamespace("ml").withResources("4", "16Gi", 1)
        .withClaim("sieve-runs").withDataMounts(List.of("/data/lake/gold")).withJvmArgs(List.of("-Xmx12g"));
  }

  @Test
  void manifestHasImageCommandResourcesVolumesRetriesAndLabels() {
    Path run = tmp.resolve("runs/r1");
    Path spec = run.resolve("spec.yaml");
    String yaml = new KubernetesLauncher(options(), client).manifestYaml(spec, run);
    Map<?, ?> m = RunFiles.JSON.convertValue(new org.yaml.snakeyaml.Yaml().load(yaml), Map.class);
    assertEquals("batch/v1", m.get("apiVersion"));
    assertEquals("Job", m.get("kind"));
    Map<?, ?> meta = (Map<?, ?>) m.get("metadata");
    assertEquals("sieve-train-r1", meta.get("name"));
    assertEquals("ml", meta.get("namespace"));
    assertEquals("r1", ((Map<?, ?>) meta.get("labels")).get("sieve.dev/run-id"));
    Map<?, ?> jobSpec = (Map<?, ?>) m.get("spec");
    assertEquals(3, jobSpec.get("backoffLimit"));
    Map<?, ?> template = (Map<?, ?>) jobSpec.get("template");
    assertEquals("r1", ((Map<?, ?>) ((Map<?, ?>) template.get("metadata")).get("labels")).get("sieve.dev/run-id"));
    Map<?, ?> pod = (Map<?, ?>) template.get("spec");
    assertEquals("OnFailure", pod.get("restartPolicy"));
    Map<?, ?> c = (Map<?, ?>) ((List<?>) pod.get("containers")).get(0);
    assertEquals("train", c.get("name"));
    assertEquals("registry.example/sieve-train:0.1", c.get("image"));
    assertEquals(List.of("java", "-Dai.djl.offline=true", "-Xmx12g", "-cp", "/opt/sieve/lib/*", "dev.sieve.train.TrainMain",
        "--spec", spec.toString(), "--run-dir", run.toString()), c.get("command"));
    Map<?, ?> res = (Map<?, ?>) c.get("resources");
    assertEquals(Map.of("cpu", "4", "memory", "16Gi", "nvidia.com/gpu", "1"), res.get("limits"));
    assertEquals(Map.of("cpu", "4", "memory", "16Gi"), res.get("requests"));
    List<?> mounts = (List<?>) c.get("volumeMounts");
    assertEquals(Map.of("name", "run-dir", "mountPath", run.toString()), mounts.get(0));
    assertEquals(Map.of("name", "data-0", "mountPath", "/data/lake/gold", "readOnly", true), mounts.get(1));
    List<?> vols = (List<?>) pod.get("volumes");
    assertEquals(Map.of("name", "run-dir", "persistentVolumeClaim", Map.of("claimName", "sieve-runs")), vols.get(0));
    assertEquals("/data/lake/gold", ((Map<?, ?>) ((Map<?, ?>) vols.get(1)).get("hostPath")).get("path"));
    assertTrue(yaml.contains("restartPolicy: \"OnFailure\"") || yaml.contains("restartPolicy: OnFailure"), yaml);
  }

  @Test
  void withoutAClaimTheRunFolderIsAHostPath() {
    Path run = tmp.resolve("runs/r2");
    Job job = new KubernetesLauncher(KubernetesLauncher.Options.of("img"), client).manifest(run.resolve("spec.yaml"), run);
    assertEquals(run.toString(), job.getSpec().getTemplate().getSpec().getVolumes().get(0).getHostPath().getPath());
    assertEquals("default", job.getMetadata().getNamespace());
    assertTrue(job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().keySet().stream()
        .noneMatch(k -> k.contains("gpu")));
  }

  @Test
  void namesAreValidLabels() {
    assertEquals("sieve-train-demo-1", KubernetesLauncher.label("demo-1", "sieve-train-"));
    String odd = KubernetesLauncher.label("Train_Run.2026/11", "sieve-train-");
    assertTrue(odd.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && odd.length() <= 63, odd);
    assertFalse(odd.equals(KubernetesLauncher.label("train-run-2026-11", "sieve-train-")), "a changed name gets a hash");
    String longName = KubernetesLauncher.label("x".repeat(100), "sieve-train-");
    assertTrue(longName.length() <= 63, longName);
  }

  @Test
  void submitStatusAndCancelAgainstTheApiServer() throws Exception {
    Path run = tmp.resolve("runs/k1");
    Path spec = tmp.resolve("job.yaml");
    Files.writeString(spec, "max_steps: 1\n");
    KubernetesLauncher launcher = new KubernetesLauncher(options(), client);
    KubernetesJob job = launcher.submit(spec, run);
    assertEquals("ml/sieve-train-k1", job.id());
    assertTrue(Files.isRegularFile(run.resolve("spec.yaml")), "the spec is copied where the pod sees it");
    assertTrue(Files.readString(run.resolve("job.yaml")).contains("sieve-train-k1"));
    Map<String, Object> info = RunFiles.readLaunch(run);
    assertEquals("kubernetes", info.get("backend"));
    assertEquals("ml", info.get("namespace"));
    assertEquals("sieve-train-k1", info.get("job_name"));
    assertEquals("kubernetes", Launchers.backendOf(run));

    Job created = client.batch().v1().jobs().inNamespace("ml").withName("sieve-train-k1").get();
    assertNotNull(created);
    assertEquals(run.resolve("spec.yaml").toString(),
        created.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().get(7));
    assertEquals(Launcher.State.PENDING, job.state());

    setStatus("ml", "sieve-train-k1", 1, 1, 0, null);
    assertEquals(Launcher.State.RUNNING, job.state());
    setStatus("ml", "sieve-train-k1", 1, 0, 0, null);
    assertEquals(Launcher.State.PENDING, job.state(), "active but not ready: the pod is not running yet");
    setStatus("ml", "sieve-train-k1", 0, 0, 1, "Complete");
    assertEquals(Launcher.State.SUCCEEDED, job.state());
    assertTrue(job.waitFor(java.time.Duration.ofSeconds(5)));
    setStatus("ml", "sieve-train-k1", 0, 0, 0, "Failed");
    assertEquals(Launcher.State.FAILED, KubernetesLauncher.attach(run, client).state());

    // Resubmitting the same run replaces the finished Job; cancel deletes it.
    KubernetesJob again = launcher.submit(spec, run);
    assertEquals(Launcher.State.PENDING, again.state());
    KubernetesLauncher.attach(run, client).cancel();
    assertNull(client.batch().v1().jobs().inNamespace("ml").withName("sieve-train-k1").get());
    assertEquals(Launcher.State.CANCELLED, again.state());
    assertTrue(RunFiles.readLaunch(run).containsKey("cancel_time"));
  }

  private static void setStatus(String ns, String name, int active, int ready, int succeeded, String condition) {
    Job j = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    JobBuilder b = new JobBuilder(j).withNewStatus().withActive(active).withReady(ready).withSucceeded(succeeded).endStatus();
    if (condition != null) b.editStatus().addNewCondition().withType(condition).withStatus("True").endCondition().endStatus();
    client.batch().v1().jobs().inNamespace(ns).resource(b.build()).updateStatus();
  }
}
