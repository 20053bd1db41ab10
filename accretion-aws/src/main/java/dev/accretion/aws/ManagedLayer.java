package dev.accretion.aws;

/**
 * A layer managed by Accretion in one region (its newest version carries Accretion's Description
 * marker), with that newest version. Immutable.
 */
public record ManagedLayer(String layerName, String region, LayerVersionInfo latest) {}
