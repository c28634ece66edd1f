package dev.sieve.train;

import dev.sieve.train.Launcher.State;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * One training run as a Kubernetes Job (what {@link KubernetesLauncher#submit} and
 * {@link KubernetesLauncher#attach} return): its state from the Job's conditions and pod counts,
 * its newest pod's log, and cancel (delete with foreground propagation).
 */
public final class KubernetesJob implements Launcher.Job {
  private final KubernetesClient client;
  private final Path runDir;
  private final String namespace;
  private final String name;

  KubernetesJob(KubernetesClient client, Path runDir, String namespace, String name) {
    this.client = client;
    this.runDir = runDir;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public String id() {
    return namespace + "/" + name;
  }

  @Override
  public Path runDir() {
    return runDir;
  }

  @Override
  public State state() {
    io.fabric8.kubernetes.api.model.batch.v1.Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job != null) return stateOf(job);
    // The Job is gone: cancelled by us, or deleted by someone else (its TTL).
    if (RunFiles.cancelled(runDir)) return State.CANCELLED;
    Optional<String> exit = RunFiles.exitStatus(runDir);
    if (exit.isPresent()) return "succeeded".equals(exit.get()) ? State.SUCCEEDED : State.FAILED;
    return State.FAILED;
  }

  /** The newest pod's log tail; {@code train.log} in the run folder when no pod is left. */
  @Override
  public String logs(int lines) {
    try {
      Optional<Pod> pod = client.pods().inNamespace(namespace).withLabel("job-name", name).list().getItems().stream()
          .max(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()));
      if (pod.isPresent()) {
        String log = client.pods().inNamespace(namespace).withName(pod.get().getMetadata().getName()).tailingLines(lines).getLog();
        return log == null ? "" : log.strip();
      }
    } catch (KubernetesClientException e) {
      // fall through to the file
    }
    return RunFiles.tail(runDir.resolve(RunFiles.LOG), lines);
  }

  /** Deletes the Job with foreground propagation (its pods first); recorded in {@code launch.json}. */
  @Override
  public void cancel() {
    RunFiles.recordCancel(runDir);
    client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
  }

  /** A Job's state from its status: conditions first, then the pod counts. */
  static State stateOf(io.fabric8.kubernetes.api.model.batch.v1.Job job) {
    JobStatus st = job.getStatus();
    if (st == null) return State.PENDING;
    if (st.getConditions() != null) {
      for (JobCondition c : st.getConditions()) {
        if (!"True".equals(c.getStatus())) continue;
        if ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType())) return State.SUCCEEDED;
        if ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType())) return State.FAILED;
      }
    }
    if (st.getSucceeded() != null && st.getSucceeded() > 0 && (st.getActive() == null || st.getActive() == 0)) return State.SUCCEEDED;
    if (st.getActive() != null && st.getActive() > 0) {
      // A pod that is scheduled but not yet running (image pull, no node) counts as pending.
      return st.getReady() != null && st.getReady() == 0 ? State.PENDING : State.RUNNING;
    }
    return State.PENDING;
  }
}
