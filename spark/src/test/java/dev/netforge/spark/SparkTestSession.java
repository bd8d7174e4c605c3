package dev.netforge.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for every test class of the JVM (starting one costs seconds): two
 * cores, no UI, two shuffle partitions. Never stopped by a test; Spark stops it at JVM exit.
 */
public final class SparkTestSession {
    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("netforge-spark-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
