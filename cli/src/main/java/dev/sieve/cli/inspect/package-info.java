/**
 * {@code sieve inspect} and {@code sieve report}: {@link dev.sieve.cli.inspect.SnapshotReader} reads a
 * lake once into a plain {@link dev.sieve.cli.inspect.LakeSnapshot} (the only Spark here, one reader
 * per part: {@code StageRunReader}, {@code FunnelReader}, {@code SampleReader}, {@code ShardReader},
 * {@code TrainingReader}, {@code ChartReader}, sharing {@code LakeQuery}), and the
 * formatters ({@code InspectText}, {@code InspectJson}, {@code ReportHtml} with its sections, {@code Svg}, {@code TextTable}, {@code Formats})
 * turn that snapshot into text, JSON or one self-contained HTML page without touching Spark. Nothing
 * here writes to the lake.
 */
package dev.sieve.cli.inspect;
