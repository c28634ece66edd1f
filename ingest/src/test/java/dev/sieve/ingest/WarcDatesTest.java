package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WarcDatesTest {
  @Test
  void readsWhatInstantParseReads() {
    for (String s : List.of("2024-05-01T12:34:56Z", "2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "1970-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2016-12-31T23:59:60Z", "2024-05-01T12:34:56.123Z",
        "2024-05-01T12:34:56.123456789Z", "2024-05-01T24:00:00Z")) {
      assertEquals(Instant.parse(s), WarcDates.parse(s), s);
    }
    Random rnd = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(rnd.nextLong(-62_000_000_000L, 253_000_000_000L));
      String s = t.toString();
      assertEquals(Instant.parse(s), WarcDates.parse(s), s);
    }
  }

  @Test
  void refusesWhatInstantParseRefuses() {
    for (String s : List.of("2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-04-31T00:00:00Z",
        "2024-05-01T24:00:01Z", "2024-05-01T12:60:00Z", "2024-05-01T12:34:61Z", "2024-05-01 12:34:56Z", "2024-05-01T12:34:5xZ",
        "2024-05-01T12:34:56", "", "garbage")) {
      assertThrows(DateTimeParseException.class, () -> Instant.parse(s), s);
      assertThrows(DateTimeParseException.class, () -> WarcDates.parse(s), s);
    }
  }
}
