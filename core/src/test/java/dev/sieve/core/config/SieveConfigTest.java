package dev.sieve.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SieveConfigTest {
  @Test
  void defaultsWhenSilent() {
    SieveConfig c = SieveConfig.parse("");
    assertNull(c.spark().master);
    assertEquals(SparkSettings.DEFAULT_APP_NAME, c.spark().appName);
    assertEquals(SieveConfig.defaults().toJson(), c.toJson());
    assertEquals(SieveConfig.defaults().hash(), c.hash());
  }

  @Test
  void readsSnakeCaseKeys() {
    SieveConfig c = SieveConfig.parse("spark:\n  master: local[2]\n  app_name: nightly\n  conf:\n    spark.sql.shuffle.partitions: '8'\n");
    assertEquals("local[2]", c.spark().master);
    assertEquals("nightly", c.spark().appName);
    assertEquals("8", c.spark().conf.get("spark.sql.shuffle.partitions"));
    assertTrue(c.toJson().contains("\"app_name\":\"nightly\""), c.toJson());
    assertNotEquals(SieveConfig.defaults().hash(), c.hash());
  }

  @Test
  void unknownKeyIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.parse("spark:\n  mastr: local\n"));
    assertEquals("unknown config key 'spark.mastr' (known: app_name, conf, master)", e.getMessage());
  }

  @Test
  void unknownSectionIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.parse("sparky:\n  master: local\n"));
    assertTrue(e.getMessage().startsWith("unknown config section 'sparky'"), e.getMessage());
  }

  @Test
  void badValueIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.parse("spark:\n  conf: [1, 2]\n"));
    assertTrue(e.getMessage().startsWith("bad value for 'spark.conf'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> SieveConfig.parse("spark:\n  conf:\n    shuffle: '2'\n"));
    assertEquals("bad key 'spark.conf.shuffle': Spark settings start with 'spark.'", e.getMessage());
    e = assertThrows(ConfigException.class, () -> SieveConfig.parse("spark: 3\n"));
    assertEquals("bad value for 'spark': a section must be a mapping of keys", e.getMessage());
  }

  @Test
  void notYaml(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "spark:\n  master: [unclosed\n");
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.load(f));
    assertTrue(e.getMessage().contains("is not valid YAML"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    e = assertThrows(ConfigException.class, () -> SieveConfig.load(dir.resolve("missing.yaml")));
    assertTrue(e.getMessage().startsWith("config file not found"), e.getMessage());
  }

  @Test
  void resolvedConfigRoundTrips(@TempDir Path dir) throws Exception {
    SieveConfig c = SieveConfig.parse("spark:\n  app_name: x\n");
    Path f = dir.resolve("resolved.yaml");
    Files.writeString(f, c.toYaml());
    assertEquals(c.toJson(), SieveConfig.load(f).toJson());
  }
}
