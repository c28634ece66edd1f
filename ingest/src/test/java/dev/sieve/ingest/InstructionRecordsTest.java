package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Conversation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instruction JSONL (Alpaca, chat, ShareGPT) read into conversations, invalid records quarantined with their reason. */
class InstructionRecordsTest {
  /** A hand-made file: 5 valid records of three formats, a plain document, and 9 invalid ones of known kinds. */
  static final List<String> LINES = List.of(
      "{\"id\":\"a1\",\"instruction\":\"Name a colour.\",\"input\":\"\",\"output\":\"Blue.\"}",
      "{\"instruction\":\"Translate.\",\"input\":\"Hallo Welt\",\"output\":\"Hello world.\",\"category\":\"mt\"}",
      "{\"messages\":[{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"},{\"role\":\"user\",\"content\":\"3+3?\"},{\"role\":\"assistant\",\"content\":\"6\"}]}",
      "{\"conversations\":[{\"from\":\"human\",\"value\":\"Capital of France?\"},{\"from\":\"gpt\",\"value\":\"Paris.\"}]}",
      "{\"text\":\"A plain pretraining document.\"}",
      // invalid:
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"tool\",\"content\":\"{}\"},{\"role\":\"assistant\",\"content\":\"Sunny.\"}]}",
      "{\"conversations\":[{\"from\":\"human\",\"value\":\"Hi\"},{\"from\":\"bing\",\"value\":\"Hello\"}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"   \"},{\"role\":\"assistant\",\"content\":\"Hm.\"}]}",
      "{\"instruction\":\"Say nothing.\",\"output\":\"\"}",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":null}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"Bye\"}]}",
      "{\"messages\":[]}",
      "{\"conversations\":[{\"from\":\"system\",\"value\":\"Be nice.\"}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]},{\"role\":\"assistant\",\"content\":\"Hello\"}]}");

  static Path write(Path dir, List<String> lines) throws Exception {
    Path f = dir.resolve("sft.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  static List<IngestRecord> read(Path f, String format) throws Exception {
    IngestSettings s = new IngestSettings();
    s.instructionFormat = format;
    List<IngestRecord> out = new ArrayList<>();
    try (RecordReader r = Readers.open(InputFormat.JSONL, RecordSource.of(f), s)) {
      r.forEachRemaining(out::add);
      assertEquals(r.framed(), out.size(), "one outcome per framed line");
    }
    return out;
  }

  @Test
  void validationReasonsOnAHandMadeFile(@TempDir Path dir) throws Exception {
    List<IngestRecord> records = read(write(dir, LINES), "auto");
    assertEquals(LINES.size(), records.size());
    Map<String, Integer> outcome = new TreeMap<>();
    for (IngestRecord r : records) {
      String k = r instanceof IngestRecord.Parsed p ? "doc:" + p.doc().source()
          : "quarantined_" + ((IngestRecord.Quarantined) r).entry().errorKind();
      outcome.merge(k, 1, Integer::sum);
    }
    assertEquals(Map.of("doc:alpaca", 2, "doc:chat", 2, "doc:sharegpt", 1, "doc:jsonl", 1,
        "quarantined_unknown_role", 2, "quarantined_empty_turn", 3, "quarantined_no_final_assistant", 3,
        "quarantined_bad_turn", 1), outcome);
    // in = out + quarantined
    long docs = records.stream().filter(r -> r instanceof IngestRecord.Parsed).count();
    long bad = records.stream().filter(r -> r instanceof IngestRecord.Quarantined).count();
    assertEquals(LINES.size(), docs + bad);
  }

  @Test
  void conversationsBecomeCanonicalTextMarkedInMetadata(@TempDir Path dir) throws Exception {
    List<IngestRecord> records = read(write(dir, LINES.subList(0, 6)), "auto");
    RawDoc alpaca = ((IngestRecord.Parsed) records.get(1)).doc();
    assertEquals("<|user|>\nTranslate.\n\nHallo Welt\n<|assistant|>\nHello world.", alpaca.text());
    assertEquals(Map.of(Conversation.METADATA_KEY, "alpaca", "category", "mt"), alpaca.metadata());
    assertEquals("a1", ((IngestRecord.Parsed) records.get(0)).doc().key());
    assertEquals("<|user|>\nName a colour.\n<|assistant|>\nBlue.", ((IngestRecord.Parsed) records.get(0)).doc().text());
    RawDoc chat = ((IngestRecord.Parsed) records.get(2)).doc();
    assertEquals("<|system|>\nBe terse.\n<|user|>\nHi\n<|assistant|>\nHello.", chat.text());
    assertEquals("<|user|>\nCapital of France?\n<|assistant|>\nParis.", ((IngestRecord.Parsed) records.get(4)).doc().text());
    RawDoc plain = ((IngestRecord.Parsed) records.get(5)).doc();
    assertEquals("A plain pretraining document.", plain.text());
    assertTrue(!Conversation.isConversation(plain.metadata()));
    // The canonical text is normal already: the assembler keeps it as it is.
    assertEquals(chat.text(), TextNormalizer.normalize(chat.text()));
  }

  @Test
  void explicitAndOffModes(@TempDir Path dir) throws Exception {
    Path f = write(dir, LINES.subList(0, 6));
    List<String> chatOnly = new ArrayList<>();
    for (IngestRecord r : read(f, "chat")) {
      chatOnly.add(r instanceof IngestRecord.Parsed p ? p.doc().source() : ((IngestRecord.Quarantined) r).entry().errorKind());
    }
    assertEquals(List.of("missing_field", "missing_field", "chat", "chat", "missing_field", "missing_field"), chatOnly);
    List<String> off = new ArrayList<>();
    for (IngestRecord r : read(f, "off")) {
      off.add(r instanceof IngestRecord.Parsed p ? p.doc().source() : ((IngestRecord.Quarantined) r).entry().errorKind());
    }
    assertEquals(List.of("missing_field", "missing_field", "missing_field", "missing_field", "missing_field", "jsonl"), off);
  }
}
