package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a catalog from a data file (JSON, or YAML for {@code .yaml}/{@code .yml}).
 *
 * <p>Format: {@code {"customers": [{"customerId": "acme", "resourceId": null, "fault": null,
 * "entitlements": [<EntitlementFragment>...], "credits": [{"currencyId": "ai-credits",
 * "displayName": "AI credits", "unitSingular": "credit", "unitPlural": "credits", "granted": 100,
 * "consumed": 0}]}]}}. Every problem in the file is reported at once, each as
 * {@code file:line:column: path: problem}.
 */
public final class CatalogFile {

  /** The catalog bundled in the jar, used when no data file is given. */
  public static final String SAMPLE_RESOURCE = "/sample-catalog.yaml";

  private static final Set<String> CUSTOMER_FIELDS =
      Set.of("customerId", "resourceId", "fault", "entitlements", "credits");
  private static final Set<String> CREDIT_FIELDS =
      Set.of("currencyId", "displayName", "unitSingular", "unitPlural", "granted", "consumed");

  private CatalogFile() {}

  public static void load(Path file, Catalog catalog) throws CatalogException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      load(file.toString(), reader, catalog);
    } catch (NoSuchFileException e) {
      throw new CatalogException(file + ": no such file");
    } catch (IOException e) {
      throw new CatalogException(file + ": cannot read: " + e.getMessage());
    }
  }

  public static void loadSample(Catalog catalog) throws CatalogException {
    try (InputStream in = CatalogFile.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      if (in == null) {
        throw new CatalogException("the bundled sample catalog " + SAMPLE_RESOURCE + " is missing from the jar");
      }
      load("sample-catalog.yaml", new InputStreamReader(in, StandardCharsets.UTF_8), catalog);
    } catch (IOException e) {
      throw new CatalogException("sample catalog: " + e.getMessage());
    }
  }

  static void load(String name, Reader reader, Catalog catalog) throws CatalogException {
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    LocatedTree tree;
    try {
      tree = LocatedTree.read(yaml ? new YAMLFactory() : new JsonFactory(), reader);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where = location == null ? "" : location.getLineNr() + ":" + location.getColumnNr() + ": ";
      throw new CatalogException(name + ":" + where + "not valid " + (yaml ? "YAML" : "JSON") + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CatalogException(name + ": cannot read: " + e.getMessage());
    }
    Problems problems = new Problems();
    JsonNode customers = tree.root().path("customers");
    if (!customers.isArray()) {
      problems.add("customers", "the file must be an object with a \"customers\" list");
    } else {
      for (int i = 0; i < customers.size(); i++) {
        validateCustomer(customers.get(i), "customers[" + i + "]", problems);
      }
    }
    problems.throwIfAny(path -> name + ":" + tree.locate(path) + ": " + path + ": ");
    for (JsonNode customer : customers) {
      EntityKey key = EntityKey.of(customer.get("customerId").asText(), textOrNull(customer.path("resourceId")));
      catalog.replace(key, customer.path("entitlements"));
      catalog.setFault(key, CustomerFault.parse(customer.path("fault").asText("")));
      for (JsonNode credit : customer.path("credits")) {
        String currencyId = credit.get("currencyId").asText();
        catalog.grantCredits(key, new CreditBalance(currencyId,
            credit.path("displayName").asText(currencyId), credit.path("unitSingular").asText("credit"),
            credit.path("unitPlural").asText("credits"), credit.path("granted").asDouble(0),
            credit.path("consumed").asDouble(0)));
      }
    }
  }

  private static void validateCustomer(JsonNode customer, String path, Problems problems) {
    if (!customer.isObject()) {
      problems.add(path, "a customer must be an object with customerId and entitlements");
      return;
    }
    unknownFields(customer, CUSTOMER_FIELDS, path, problems);
    if (!customer.path("customerId").isTextual() || customer.get("customerId").asText().isBlank()) {
      problems.add(path + ".customerId", "is required: the customer's id");
    }
    JsonNode fault = customer.path("fault");
    if (!fault.isMissingNode() && !fault.isNull() && CustomerFault.parse(fault.asText()).isEmpty()) {
      problems.add(path + ".fault", fault + " is not one of " + CustomerFault.allowedNames());
    }
    JsonNode entitlements = customer.path("entitlements");
    if (!entitlements.isArray()) {
      problems.add(path + ".entitlements", "is required: a list (empty for a customer with no entitlements)");
    } else {
      for (int i = 0; i < entitlements.size(); i++) {
        EntitlementShape.validate(entitlements.get(i), path + ".entitlements[" + i + "]", problems);
      }
    }
    JsonNode credits = customer.path("credits");
    if (!credits.isMissingNode() && !credits.isArray()) {
      problems.add(path + ".credits", "must be a list of credit balances");
    }
    for (int i = 0; i < credits.size(); i++) {
      JsonNode credit = credits.get(i);
      String creditPath = path + ".credits[" + i + "]";
      unknownFields(credit, CREDIT_FIELDS, creditPath, problems);
      if (!credit.path("currencyId").isTextual()) {
        problems.add(creditPath + ".currencyId", "is required: the credit currency's id");
      }
      if (!credit.path("granted").isNumber()) {
        problems.add(creditPath + ".granted", "is required: the number of credits granted");
      }
    }
  }

  private static void unknownFields(JsonNode object, Set<String> known, String path, Problems problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!known.contains(name)) {
        problems.add(path + "." + name, "unknown field; expected one of " + List.copyOf(new java.util.TreeSet<>(known)));
      }
    }
  }

  private static String textOrNull(JsonNode node) {
    return Optional.of(node).filter(JsonNode::isTextual).map(JsonNode::asText).orElse(null);
  }
}
