package dev.stiggsidecar.api.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One namespace's sidecar configuration: what the operator deploys and what the webhook injects.
 * This class is the single source of the CRD in {@code crds/}; the build regenerates it.
 */
@Group(StiggSidecar.GROUP)
@Version(StiggSidecar.VERSION)
@Kind(StiggSidecar.KIND)
@Plural(StiggSidecar.PLURAL)
@ShortNames("ssc")
// The CRD generator orders printer columns by JSON path, and the API server accepts only paths
// that start with ".", so kubectl shows NAME AGE CACHE READY INJECTED PODS.
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Cache", jsonPath = ".status.cache",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Injected pods", jsonPath = ".status.injectedPods.total",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class StiggSidecar extends CustomResource<StiggSidecarSpec, StiggSidecarStatus>
    implements Namespaced {

  public static final String GROUP = "sidecar.stigg.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "StiggSidecar";
  public static final String PLURAL = "stiggsidecars";
}
