package dev.sieve.cli;

import dev.sieve.core.config.ConfigException;
import dev.sieve.train.KubernetesLauncher;
import dev.sieve.train.Launcher;
import dev.sieve.train.LocalLauncher;
import dev.sieve.train.SlurmLauncher;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The launch backend options of {@code sieve train submit}: which backend, and its resources. */
final class TrainBackendOptions {
  @Option(names = "--backend", defaultValue = "local", paramLabel = "NAME",
      description = "Where the run goes: local (a process here), slurm (sbatch) or kubernetes (a batch/v1 Job) (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--cpus", defaultValue = "1", paramLabel = "N", description = "slurm/kubernetes: CPUs for the run (default: ${DEFAULT-VALUE}).")
  int cpus;

  @Option(names = "--gpus", defaultValue = "0", paramLabel = "N", description = "slurm/kubernetes: GPUs (--gres=gpu:N, nvidia.com/gpu) (default: ${DEFAULT-VALUE}).")
  int gpus;

  @Option(names = "--mem", paramLabel = "SIZE", description = "slurm: --mem (e.g. 16G); kubernetes: the memory request and limit (e.g. 16Gi; default 4Gi).")
  String mem;

  @Option(names = "--slurm-partition", paramLabel = "NAME", description = "slurm: the partition (default: the cluster's default).")
  String partition;

  @Option(names = "--slurm-time", defaultValue = "01:00:00", paramLabel = "LIMIT", description = "slurm: the time limit, MM, HH:MM:SS or D-HH:MM:SS (default: ${DEFAULT-VALUE}).")
  String time;

  @Option(names = "--k8s-image", paramLabel = "IMAGE", description = "kubernetes: the container image (a JDK 17+ and Sieve's jars in /opt/sieve/lib).")
  String image;

  @Option(names = "--k8s-namespace", defaultValue = "default", paramLabel = "NS", description = "kubernetes: the namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--k8s-pvc", paramLabel = "CLAIM", description = "kubernetes: a PVC holding the run folder (default: a hostPath at the run folder's path).")
  String claim;

  @Option(names = "--k8s-mount", paramLabel = "PATH", description = "kubernetes: a host path the pod needs read-only at the same path (shards, tokenizer); repeatable.")
  List<String> mounts = new ArrayList<>();

  Launcher launcher() {
    try {
      return switch (backend) {
        case LocalLauncher.BACKEND -> new LocalLauncher(List.of("-Xmx2g"));
        case SlurmLauncher.BACKEND -> new SlurmLauncher(SlurmLauncher.Options.defaults().withPartition(partition).withTime(time)
            .withResources(cpus, gpus, mem));
        case KubernetesLauncher.BACKEND -> {
          if (image == null || image.isBlank()) throw new ConfigException("bad value for '--k8s-image': --backend kubernetes needs a container image");
          yield new KubernetesLauncher(KubernetesLauncher.Options.of(image).withNamespace(namespace)
              .withResources(Integer.toString(cpus), mem != null ? mem : "4Gi", gpus).withClaim(claim).withDataMounts(mounts));
        }
        default -> throw new ConfigException("bad value for '--backend': '" + backend + "' (local, slurm or kubernetes)");
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for '" + (e.getMessage().contains("time") ? "--slurm-time" : "--cpus") + "': " + e.getMessage());
    }
  }
}
