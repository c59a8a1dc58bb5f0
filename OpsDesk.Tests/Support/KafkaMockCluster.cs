using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace OpsDesk.Tests.Support;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka protocol on 127.0.0.1, no admin API (topics
/// auto-create with 4 partitions). Created through librdkafka's own mock API
/// (<c>rd_kafka_mock_cluster_new</c>), which Confluent.Kafka does not wrap, so a test can also
/// change the address the broker advertises in its metadata (<see cref="AdvertiseAt"/>): pointing it
/// at a <see cref="TcpForwarder"/> sends every connection of every client through the forwarder,
/// not only the bootstrap one.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private const int BrokerId = 1;

    private readonly IntPtr handle;
    private readonly IntPtr cluster;
    private readonly IAdminClient metadata;
    private bool disposed;

    public KafkaMockCluster()
    {
        var conf = Native.rd_kafka_conf_new();
        // The mock cluster logs through this handle; tests read outcomes, not librdkafka's chatter.
        Set(conf, "log_level", "0");
        var error = new byte[512];
        handle = Native.rd_kafka_new(0 /* RD_KAFKA_PRODUCER */, conf, error, (UIntPtr)error.Length);
        if (handle == IntPtr.Zero)
            throw new InvalidOperationException("rd_kafka_new: " + Text(error));
        cluster = Native.rd_kafka_mock_cluster_new(handle, 1);
        if (cluster == IntPtr.Zero)
        {
            Native.rd_kafka_destroy(handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(Native.rd_kafka_mock_cluster_bootstraps(cluster))!;
        var colon = BootstrapServers.LastIndexOf(':');
        Host = BootstrapServers[..colon];
        Port = int.Parse(BootstrapServers[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        metadata = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>The host the broker listens on (always reachable directly, whatever it advertises).</summary>
    public string Host { get; }

    /// <summary>The port the broker really listens on.</summary>
    public int Port { get; }

    /// <summary>The broker's real listener. Clients learn the advertised address from metadata after bootstrapping here.</summary>
    public string BootstrapServers { get; }

    /// <summary>
    /// Makes the broker advertise <paramref name="host"/>:<paramref name="port"/> in metadata, so
    /// clients connect there after bootstrap (and on every reconnect). Its listener does not move.
    /// </summary>
    public void AdvertiseAt(string host, int port) => Native.rd_kafka_mock_broker_set_host_port(cluster, BrokerId, host, port);

    /// <summary>
    /// Every message in the topics, read from the start to the end of each partition (partition
    /// order kept). Call it once the producer's deliveries are acknowledged.
    /// </summary>
    public IReadOnlyList<ConsumeResult<string, string>> ReadAll(IEnumerable<string> topics)
    {
        var partitions = new List<TopicPartitionOffset>();
        foreach (var topic in topics)
        {
            var topicMetadata = metadata.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (topicMetadata.Error.IsError)
                continue;
            partitions.AddRange(topicMetadata.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }

        var results = new List<ConsumeResult<string, string>>();
        if (partitions.Count == 0)
            return results;
        using var consumer = NewConsumer(enablePartitionEof: true);
        consumer.Assign(partitions);
        var open = partitions.Select(p => p.TopicPartition).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        try
        {
            while (open.Count > 0)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"did not reach the end of {string.Join(", ", open)}");
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                    continue;
                if (result.IsPartitionEOF)
                    open.Remove(result.TopicPartition);
                else
                    results.Add(result);
            }
        }
        finally
        {
            consumer.Close();
        }

        return results;
    }

    /// <summary>A consumer for tests: short session so a restarted group does not wait long.</summary>
    public IConsumer<string, string> NewConsumer(bool enablePartitionEof = false) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = enablePartitionEof,
            SessionTimeoutMs = 2000,
            HeartbeatIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).Build();

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        metadata.Dispose();
        Native.rd_kafka_mock_cluster_destroy(cluster);
        Native.rd_kafka_destroy(handle);
    }

    private static void Set(IntPtr conf, string name, string value)
    {
        var error = new byte[512];
        if (Native.rd_kafka_conf_set(conf, name, value, error, (UIntPtr)error.Length) != 0)
            throw new InvalidOperationException($"rd_kafka_conf_set {name}: {Text(error)}");
    }

    private static string Text(byte[] nulTerminated) => Encoding.UTF8.GetString(nulTerminated, 0, Math.Max(0, Array.IndexOf(nulTerminated, (byte)0)));

    /// <summary>The few librdkafka entry points the mock needs; the same native library Confluent.Kafka loads.</summary>
    private static class Native
    {
        private const string Lib = "librdkafka";

        static Native() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, (name, _, _) => name == Lib ? LoadedByConfluent() : IntPtr.Zero);

        /// <summary>
        /// Confluent.Kafka picks one of the librdkafka builds it ships (by what the system's libraries
        /// allow) and loads it; open that very file, so the mock and the clients share one library.
        /// </summary>
        private static IntPtr LoadedByConfluent()
        {
            _ = Library.Version;
            var path = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6 && Path.GetFileName(f[5]).Contains("librdkafka", StringComparison.Ordinal))
                .Select(f => f[5])
                .FirstOrDefault() ?? throw new DllNotFoundException("Confluent.Kafka loaded no librdkafka");
            return NativeLibrary.Load(path);
        }

        [DllImport(Lib)]
        public static extern IntPtr rd_kafka_conf_new();

        [DllImport(Lib, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

        [DllImport(Lib)]
        public static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

        [DllImport(Lib)]
        public static extern void rd_kafka_destroy(IntPtr rk);

        [DllImport(Lib)]
        public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

        [DllImport(Lib)]
        public static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

        [DllImport(Lib)]
        public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

        [DllImport(Lib, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern void rd_kafka_mock_broker_set_host_port(IntPtr cluster, int brokerId, string host, int port);
    }
}
