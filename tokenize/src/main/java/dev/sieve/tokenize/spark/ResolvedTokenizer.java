package dev.sieve.tokenize.spark;

import dev.sieve.core.Lake;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.TokenizerSpec;
import org.apache.spark.sql.SparkSession;

/**
 * A tokenizer spec opened once on the driver: what the manifest records about it and the spec the
 * executors open. An {@code hf:<path>} tokenizer.json anywhere the lake's filesystem reaches is
 * fetched to the driver and shipped to the executors ({@code hf-shipped:<file name>}).
 *
 * @param name as the manifest records it: for {@code hf:} relative to the lake when the file is in
 *     it (the dataset's own BPE), else absolute — never the local copy, never relative to the
 *     working directory
 * @param version the tokenizer's version string
 * @param vocabSize vocabulary entries (decides the token width)
 * @param eot id of the end-of-text token
 * @param executorSpec the spec {@link TokenizeDocs} opens on the executors
 */
record ResolvedTokenizer(String name, String version, int vocabSize, int eot, String executorSpec) {

  static ResolvedTokenizer resolve(SparkSession spark, Lake lake, String spec, String eotToken) {
    TokenizerSpec parsed = TokenizerSpec.parse(spec);
    String executorSpec = spec;
    String recordedName = null;
    if (parsed.isHf()) {
      recordedName = parsed.withArg(lake.relativize(parsed.arg())).toString();
      java.nio.file.Path local = TokenizerTrainJob.fetch(spark, parsed.arg());
      parsed = parsed.withArg(local.toString());
      // Not SparkContext.addFile: on a standalone cluster the executors never fetched the added file
      // (their logs show only the jar; local mode hid it, SparkFiles there is the driver's folder).
      // TokenizeDocs carries the file's bytes in the task closure instead.
      executorSpec = TokenizeDocs.SHIPPED + local.toAbsolutePath();
    }
    try (TokenizerAdapter tok = parsed.open(eotToken)) {
      return new ResolvedTokenizer(recordedName != null ? recordedName : tok.name(), tok.version(), tok.vocabSize(), tok.eotId(), executorSpec);
    }
  }
}
