/**
 * The training side of Sieve: {@link dev.sieve.train.JobSpec} (the YAML job), {@link
 * dev.sieve.train.GptModel} (a GPT-style decoder from DJL blocks: {@link dev.sieve.train.Gpt2Block} or
 * {@link dev.sieve.train.LlamaBlock}, both a {@link dev.sieve.train.PreNormBlock}), {@link dev.sieve.train.Trainer}
 * / {@link dev.sieve.train.TrainMain} (the program: atomic checkpoints, bitwise resume, loss-spike
 * rollback, SFT) and its parts, one job each: {@code TrainStep} (one step's
 * forward, backward and update), {@link dev.sieve.train.ComputeSetup} (device and compute type),
 * {@link dev.sieve.train.AdamW} (optimizer and
 * clipping), {@link dev.sieve.train.LrSchedule} (warm-up + cosine), {@link
 * dev.sieve.train.SpikeGuard} (spike decisions), {@link dev.sieve.train.TrainEvents} (metrics
 * lines); {@link dev.sieve.train.TrainPlan}
 * (Chinchilla sizing) and {@link dev.sieve.train.LocalLauncher} (a separate JVM on this machine).
 * Training always runs in its own process with DJL's PyTorch engine; nothing here imports Spark,
 * and core's Delta dependency is excluded from this module's class path.
 */
package dev.sieve.train;
