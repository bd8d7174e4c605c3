/**
 * Scoring Spark datasets with NetForge generated models: {@link dev.netforge.spark.NetForgeScorer}.
 */
package dev.netforge.spark;
