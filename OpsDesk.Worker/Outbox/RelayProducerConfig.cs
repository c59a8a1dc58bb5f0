using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace OpsDesk.Worker.Outbox;

/// <summary>
/// The relay's librdkafka producer configuration: its fixed defaults with <c>Kafka:Producer:*</c>
/// merged over them, and the start-up check that librdkafka accepts the result.
/// </summary>
public static partial class RelayProducerConfig
{
    public static ProducerConfig Create(KafkaOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = options.MessageTimeoutMs,
            LingerMs = 5,
            ClientId = "opsdesk-outbox-relay",
        };
        foreach (var (key, value) in options.Producer)
            config.Set(key, value);
        return config;
    }

    /// <summary>
    /// Builds (and at once disposes) a producer from the settings, without bootstrap servers so it
    /// connects nowhere: librdkafka refuses unknown keys, bad values and settings that do not go
    /// together exactly as it would when the relay starts. Each message names the key; values are
    /// never echoed (they can be secrets such as <c>sasl.password</c>).
    /// </summary>
    public static IReadOnlyList<string> Check(KafkaOptions options)
    {
        var errors = new List<string>();
        // One key at a time first: an unknown key or a bad value is refused on its own, whatever else is set.
        foreach (var (key, value) in options.Producer)
        {
            if (TryBuild(new Dictionary<string, string> { [key] = value }, options) is { } error && IsSettingError(error))
                errors.Add($"Kafka:Producer:{key}: {error}.");
        }

        if (errors.Count == 0 && options.Producer.Count > 0 && TryBuild(options.Producer, options) is { } combined)
            errors.Add($"Kafka:Producer:* settings are refused by librdkafka: {combined} (keys set: {string.Join(", ", options.Producer.Keys)}).");
        return errors;
    }

    private static string? TryBuild(IReadOnlyDictionary<string, string> producer, KafkaOptions options)
    {
        var config = Create(new KafkaOptions { MessageTimeoutMs = options.MessageTimeoutMs });
        config.BootstrapServers = null;
        try
        {
            foreach (var (key, value) in producer)
                config.Set(key, value);
            using var built = new ProducerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KafkaException)
        {
            // librdkafka quotes a refused value ("Invalid value \"x\" for ..."): drop it, it may be a secret.
            return QuotedValue().Replace(ex.Message, "Invalid value for").TrimEnd('.');
        }
    }

    /// <summary>librdkafka's wording when one key is unknown or its value is not valid.</summary>
    private static bool IsSettingError(string message) =>
        message.StartsWith("No such configuration property", StringComparison.Ordinal)
        || message.StartsWith("Invalid value", StringComparison.Ordinal)
        || message.Contains("configuration property", StringComparison.Ordinal);

    [GeneratedRegex("Invalid value \".*?\" for")]
    private static partial Regex QuotedValue();
}
