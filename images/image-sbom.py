#!/usr/bin/env python3
"""The SBOM of an image: the CycloneDX SBOM Maven made for its jar, plus what the image adds around
the jar (the jlink Java runtime and the shared libraries copied from this machine), with the image
itself as the subject.

    image-sbom.py <jar .cdx.json> <runtime components .json> <image name> <version> <output>
"""
import json
import sys

jar_bom_path, runtime_path, image, version, output = sys.argv[1:6]
with open(jar_bom_path) as f:
    bom = json.load(f)
with open(runtime_path) as f:
    runtime = json.load(f)

application = bom["metadata"]["component"]
components = [application] + bom.get("components", []) + runtime
image_ref = "pkg:oci/" + image + "@" + version
bom["metadata"]["component"] = {
    "type": "container",
    "bom-ref": image_ref,
    "name": image,
    "version": version,
    "purl": image_ref,
}
bom["components"] = components
dependencies = bom.get("dependencies", [])
dependencies.append({"ref": image_ref, "dependsOn": [application["bom-ref"]] + [c["bom-ref"] for c in runtime]})
bom["dependencies"] = dependencies
with open(output, "w") as f:
    json.dump(bom, f, indent=2)
