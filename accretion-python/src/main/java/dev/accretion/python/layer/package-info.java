/**
 * Python layer builds: {@link dev.accretion.python.layer.PythonLayerBuilder} turns a {@link
 * dev.accretion.python.layer.LayerBuildRequest} (listing, targets, layout options) into
 * reproducible layer zips with their manifests, CycloneDX SBOMs and pylock.toml files ({@link
 * dev.accretion.python.layer.LayerBuildResult}), fetching wheels into the shared cache and
 * answering unchanged rebuilds from its selector index. Names of layers and files: {@link
 * dev.accretion.python.layer.LayerNames}; JSON documents: {@link
 * dev.accretion.python.layer.LayerDocuments}; progress: {@link
 * dev.accretion.python.layer.LayerBuildEvent}.
 */
package dev.accretion.python.layer;
