package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.train.RunModel.GroupLoss;
import dev.sieve.train.RunModel.ShardLoss;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sieve train eval}'s lines per shard: the manifest's shard tokens and the evaluated label
 * tokens are told apart, and the {@code by source:} / {@code by language:} lines keep the shape
 * that {@code .ci/run} greps for.
 */
class TrainEvalLinesTest {
  private static final Pattern CI_SOURCE = Pattern.compile("^    by source: ");
  private static final Pattern CI_LANGUAGE = Pattern.compile("^    by language: ");

  @Test
  void shardTokensAndLabelTokensAreNamedApart() {
    Map<String, Object> line = new TreeMap<>(Map.of("shard", "gold/shards/demo/r/validation/part-00000", "samples", 625L, "tokens", 40000L,
        "val_loss", 5.4516, "perplexity", 233.12, "tokens_by_source", new TreeMap<>(Map.of("commoncrawl", 29712L, "wudao", 5041L)),
        "tokens_by_language", new TreeMap<>(Map.of("en", 9952L, "zh", 10634L))));
    ShardLoss loss = new ShardLoss("gold/shards/demo/r/validation/part-00000", 625, 40000, 5.4516,
        new TreeMap<>(Map.of("commoncrawl", new GroupLoss(29711, 5.3971), "wudao", new GroupLoss(5041, 5.6559))),
        new TreeMap<>(Map.of("en", new GroupLoss(9952, 5.2366), "zh", new GroupLoss(10634, 5.6773))));
    List<String> lines = TrainEvalCommand.shardLines(line, loss);
    assertEquals(List.of(
        "  gold/shards/demo/r/validation/part-00000                        625 samples     40000 tokens  loss 5.4516  perplexity 233.12",
        "    shard tokens by source: commoncrawl 29,712, wudao 5,041",
        "    shard tokens by language: en 9,952, zh 10,634",
        "    by source: commoncrawl loss 5.3971 (29,711 label tokens), wudao loss 5.6559 (5,041 label tokens)",
        "    by language: en loss 5.2366 (9,952 label tokens), zh loss 5.6773 (10,634 label tokens)"), lines);
    assertEquals(1, lines.stream().filter(l -> CI_SOURCE.matcher(l).find()).count(), "one line for .ci/run's by-source grep");
    assertEquals(1, lines.stream().filter(l -> CI_LANGUAGE.matcher(l).find()).count(), "one line for .ci/run's by-language grep");
  }

  @Test
  void aShardWithoutManifestCountsOrSidecarIsOneLine() {
    Map<String, Object> line = Map.of("shard", "all", "samples", 3L, "tokens", 96L, "val_loss", 6.0, "perplexity", Math.exp(6.0));
    assertEquals(List.of("  all                                                               3 samples        96 tokens  loss 6.0000  perplexity 403.43"),
        TrainEvalCommand.shardLines(line, new ShardLoss("all", 3, 96, 6.0)));
  }
}
