package dev.sieve.train;

import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's data, opened from its spec: the training batches (packed token shards, SFT pairs, or
 * DPO preference pairs, or SFT shards with their masks), the evaluation batches (DPO:
 * {@code dpo.validation}'s pairs, else the training pairs, in order; otherwise validation shards,
 * as SFT examples with {@code sft.shards}; else the SFT pairs in order; else none) and the
 * vocabulary size (the spec's, or the tokenizer's when the spec says 0).
 */
final class TrainData implements AutoCloseable {
  private final Batches train;
  private final Batches validation; // null = none
  private final SftBatches sftEval; // null = none
  private final PreferenceBatches dpoEval; // null = none
  private final PreferenceBatches dpoTrain; // null = not a DPO run
  private final int vocab;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /**
   * @param totalSteps the run's optimizer steps; packed training data is sized for them plus every
   *     batch the spike guard may skip ({@code max_rollbacks × skip_batches})
   */
  TrainData(JobSpec spec, long totalSteps) {
    int seq = spec.seqLength();
    int rowsPerStep = spec.batchSize * spec.gradAccumulation;
    TokenizerAdapter tokenizer = null;
    boolean sftShards = spec.sft != null && spec.sft.shards;
    if ((spec.sft != null && !sftShards) || spec.dpo != null || spec.model.vocabSize == 0) {
      tokenizer = Tokenizers.open(spec.tokenizer);
      closeables.add(tokenizer);
    }
    if (spec.dpo != null) {
      dpoTrain = new PreferenceBatches(Path.of(spec.dpo.data), spec.dpo, tokenizer, seq, spec.seed);
      dpoEval = spec.dpo.validation == null ? dpoTrain : new PreferenceBatches(Path.of(spec.dpo.validation), spec.dpo, tokenizer, seq, spec.seed);
      train = dpoTrain;
      sftEval = null;
    } else if (sftShards) {
      dpoTrain = null;
      dpoEval = null;
      SftShardBatches s = SftShardBatches.open(spec.data.shards, seq, spec.seed);
      closeables.add(s);
      train = s;
      sftEval = null;
    } else if (spec.sft != null) {
      dpoTrain = null;
      dpoEval = null;
      SftBatches s = new SftBatches(Path.of(spec.sft.path), spec.sft.promptField, spec.sft.responseField, tokenizer, seq, spec.seed);
      train = s;
      sftEval = spec.data.validation.isEmpty() ? s : null;
    } else {
      dpoTrain = null;
      dpoEval = null;
      ShardSet shards = ShardSet.open(spec.data.shards);
      closeables.add(shards);
      long needed = (totalSteps + (long) spec.spike.maxRollbacks * spec.spike.skipBatches + 1) * rowsPerStep;
      train = new PackedBatches(shards, seq, needed, spec.seed);
      sftEval = null;
    }
    if (sftShards && !spec.data.validation.isEmpty() && spec.dpo == null) {
      SftShardBatches val = SftShardBatches.oneEpoch(spec.data.validation, seq);
      closeables.add(val);
      validation = val;
    } else if (!spec.data.validation.isEmpty() && spec.dpo == null) {
      ShardSet val = ShardSet.open(spec.data.validation);
      closeables.add(val);
      validation = PackedBatches.oneEpoch(val, seq, spec.seed);
    } else {
      validation = null;
    }
    this.vocab = spec.model.vocabSize > 0 ? spec.model.vocabSize : tokenizer.vocabSize();
  }

  Batches train() {
    return train;
  }

  int vocab() {
    return vocab;
  }

  /** The preference pairs of a DPO run (what was read and what was not); null otherwise. */
  PreferenceBatches preferences() {
    return dpoTrain;
  }

  /** The held-out preference pairs of a DPO run ({@code dpo.validation}, else the training pairs); null otherwise. */
  PreferenceBatches heldOutPreferences() {
    return dpoEval;
  }

  /** Whether there is anything to evaluate on. */
  boolean hasEval() {
    return validation != null || sftEval != null || dpoEval != null;
  }

  /**
   * Evaluation batch {@code i} of up to {@code batchSize} rows, or null when the validation data
   * has no whole batch {@code i} (one epoch, no wrap-around).
   */
  Batches.Batch evalBatch(int i, int batchSize) {
    if (dpoEval != null) return dpoEval.inOrder(i, batchSize);
    if (sftEval != null) return sftEval.inOrder(i, batchSize);
    long n = validation.samples();
    int rows = (int) Math.min(batchSize, n);
    if (rows == 0 || (long) (i + 1) * rows > n) return null;
    return validation.batch(i, rows);
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
