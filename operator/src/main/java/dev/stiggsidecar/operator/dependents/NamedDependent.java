package dev.stiggsidecar.operator.dependents;

import dev.stiggsidecar.api.model.StiggSidecar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.UnaryOperator;

/**
 * An owned object found by its name. Several dependents share a type (three Deployments, two
 * Services); naming the target here, rather than deriving it from {@code desired()}, also lets a
 * disabled object be found and deleted when its part of the spec no longer exists.
 */
abstract class NamedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, StiggSidecar> {

  private final UnaryOperator<String> nameOfOwner;

  NamedDependent(Class<R> type, UnaryOperator<String> nameOfOwner) {
    super(type);
    this.nameOfOwner = nameOfOwner;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(StiggSidecar primary, Context<StiggSidecar> context) {
    return new ResourceID(nameOfOwner.apply(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
  }

  /**
   * The owner reference a controller writes: the {@code StiggSidecar} is the controlling owner
   * (shown by {@code kubectl describe} as "Controlled By", and never adopted by another
   * controller), and a foreground deletion of it waits for this object. The garbage collector
   * deletes this object with it.
   */
  @Override
  protected void addReferenceHandlingMetadata(R desired, StiggSidecar primary) {
    desired.addOwnerReference(new OwnerReferenceBuilder()
        .withApiVersion(primary.getApiVersion())
        .withKind(primary.getKind())
        .withName(primary.getMetadata().getName())
        .withUid(primary.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build());
    super.addReferenceHandlingMetadata(desired, primary);
  }
}
