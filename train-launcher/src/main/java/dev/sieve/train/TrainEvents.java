package dev.sieve.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lines a training run writes to {@code metrics.jsonl} ({@link MetricsLog}), one method per
 * kind, each with its keys in a fixed order. Step lines: {@code step, loss, lr, grad_norm,
 * tokens_per_s, tokens, batch, device[, val_loss]} (losses in nats per label token, {@code
 * tokens_per_s} in tokens per wall-clock second). Event lines: {@code event, step, <fields>,
 * device}, for {@code start, preferences, resume, checkpoint, rollback, give_up, done}. A DPO
 * run's step lines add {@code reward_margin, reward_accuracy, chosen_reward, rejected_reward}.
 */
public final class TrainEvents implements AutoCloseable {
  private final MetricsLog log;
  private final String device;

  /** @param device how lines name the device ({@code Device.toString()}, e.g. {@code cpu()}) */
  public TrainEvents(MetricsLog log, String device) {
    if (log == null || device == null) throw new IllegalArgumentException("log and device must not be null");
    this.log = log;
    this.device = device;
  }

  /** Lines in the file so far (a checkpoint records this count plus its own line). */
  public long lines() {
    return log.lines();
  }

  /** A new run: model size, vocabulary, planned steps, tokens per step, and the {@code init_from} checkpoint when there is one. */
  public void start(long step, long parameters, int vocabSize, long totalSteps, long tokensPerStep, String initFrom) {
    start(step, parameters, vocabSize, totalSteps, tokensPerStep, initFrom, null);
  }

  /** The start event; {@code precision} (fp32, bf16, fp16: what the run computes in) when not null. */
  public void start(long step, long parameters, int vocabSize, long totalSteps, long tokensPerStep, String initFrom, String precision) {
    start(step, parameters, vocabSize, totalSteps, tokensPerStep, initFrom, precision, null, parameters);
  }

  /**
   * The start event of a run; for a PEFT run ({@code peft} = its method, not null) also {@code peft}
   * and {@code trainable_parameters} (what the optimizer updates, beside {@code parameters}, the model's).
   */
  public void start(long step, long parameters, int vocabSize, long totalSteps, long tokensPerStep, String initFrom, String precision,
      String peft, long trainableParameters) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (precision != null) f.put("precision", precision);
    f.put("parameters", parameters);
    if (peft != null) {
      f.put("peft", peft);
      f.put("trainable_parameters", trainableParameters);
    }
    f.put("vocab_size", vocabSize);
    f.put("total_steps", totalSteps);
    f.put("tokens_per_step", tokensPerStep);
    if (initFrom != null) f.put("init_from", initFrom);
    event("start", step, f);
  }

  /** Validation before the first update: {@code step, val_loss, device}. */
  public void initialValidation(long step, double valLoss) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("step", step);
    line.put("val_loss", valLoss);
    line.put("device", device);
    log.write(line);
  }

  /** One applied optimizer step; {@code valLoss} NaN = not evaluated at this step (no key written). */
  public void step(long step, double loss, double lr, double gradNorm, double tokensPerSecond, long tokens, long batch, double valLoss) {
    step(step, loss, lr, gradNorm, tokensPerSecond, tokens, batch, valLoss, Map.of());
  }

  /** A step line with {@code fields} appended after the standard keys (a DPO run's rewards, {@link DpoLoss.Stats#fields}). */
  public void step(long step, double loss, double lr, double gradNorm, double tokensPerSecond, long tokens, long batch, double valLoss,
      Map<String, ?> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("step", step);
    line.put("loss", loss);
    line.put("lr", lr);
    line.put("grad_norm", gradNorm);
    line.put("tokens_per_s", tokensPerSecond);
    line.put("tokens", tokens);
    line.put("batch", batch);
    line.put("device", device);
    if (!Double.isNaN(valLoss)) line.put("val_loss", valLoss);
    line.putAll(fields);
    log.write(line);
  }

  /**
   * A DPO run's data, at step 0: {@code pairs} and {@code bad_lines} of the training file (with
   * {@code problems}, the first reasons, when there are bad lines), {@code held_out_pairs} and
   * {@code held_out_bad_lines}.
   */
  public void preferences(PreferenceBatches train, PreferenceBatches heldOut) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("pairs", train.size());
    f.put("bad_lines", train.badLines());
    if (train.badLines() > 0) f.put("problems", train.problems());
    f.put("held_out_pairs", heldOut.size());
    f.put("held_out_bad_lines", heldOut.badLines());
    event("preferences", 0L, f);
    System.out.printf(java.util.Locale.ROOT, "dpo: %d preference pairs, %d bad lines%s; %d held-out pairs%n", train.size(), train.badLines(),
        train.badLines() > 0 ? " " + train.problems() : "", heldOut.size());
  }

  /** A checkpoint written at {@code path} (relative to the run folder). */
  public void checkpoint(long step, String path) {
    event("checkpoint", step, Map.of("path", path));
  }

  /** A run resumed from {@code checkpoint} (relative to the run folder). */
  public void resume(long step, String checkpoint) {
    event("resume", step, Map.of("checkpoint", checkpoint));
  }

  /** A spike at {@code step} rolled back to {@code checkpoint}; a non-finite loss is written as a string. */
  public void rollback(long step, double loss, double windowMean, String checkpoint, SpikeGuard.Rollback r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("loss", Double.isFinite(loss) ? loss : String.valueOf(loss));
    f.put("mean", windowMean);
    f.put("checkpoint", checkpoint);
    f.put("batch", r.skipFrom());
    f.put("skip_from", r.skipFrom());
    f.put("skip_to", r.skipTo());
    f.put("lr_scale", r.lrScale());
    f.put("rollbacks", r.rollbacks());
    event("rollback", step, f);
  }

  /** A spike after the last allowed rollback. */
  public void giveUp(long step, double loss, double windowMean, int rollbacks) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("loss", loss);
    f.put("mean", windowMean);
    f.put("rollbacks", rollbacks);
    event("give_up", step, f);
  }

  /** The run reached its last step. */
  public void done(long step, long tokens) {
    event("done", step, Map.of("tokens", tokens));
  }

  private void event(String name, long step, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", name);
    m.put("step", step);
    m.putAll(fields);
    m.put("device", device);
    log.write(m);
  }

  @Override
  public void close() {
    log.close();
  }
}
