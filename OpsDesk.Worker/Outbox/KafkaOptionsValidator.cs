using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OpsDesk.Worker.Outbox;

/// <summary>Checks <see cref="KafkaOptions"/> at start-up; every message names the setting to fix.</summary>
public sealed partial class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var errors = new List<string>();
        if (options.BatchSize is < 1 or > 10_000)
            errors.Add($"Kafka:BatchSize must be between 1 and 10000 (was {options.BatchSize}).");
        if (options.Partitions < 1)
            errors.Add($"Kafka:Partitions must be at least 1 (was {options.Partitions}).");
        if (options.ReplicationFactor is 0 or < -1)
            errors.Add($"Kafka:ReplicationFactor must be -1 (broker default) or at least 1 (was {options.ReplicationFactor}).");
        if (options.MessageTimeoutMs is < 100 or > 900_000)
            errors.Add($"Kafka:MessageTimeoutMs must be between 100 and 900000 (was {options.MessageTimeoutMs}).");
        Positive(errors, "Kafka:PollInterval", options.PollInterval);
        Positive(errors, "Kafka:StandbyRetryInterval", options.StandbyRetryInterval);
        Positive(errors, "Kafka:RetryBackoff", options.RetryBackoff);
        Positive(errors, "Kafka:UnhealthyAfter", options.UnhealthyAfter);
        if (options.MaxRetryBackoff < options.RetryBackoff)
            errors.Add("Kafka:MaxRetryBackoff must not be shorter than Kafka:RetryBackoff.");

        if (options.TopicPrefix.Length > 0 && !TopicChars().IsMatch(options.TopicPrefix))
            errors.Add($"Kafka:TopicPrefix '{options.TopicPrefix}' may hold only letters, digits, '.', '_' and '-'.");
        foreach (var (type, topic) in options.Topics)
        {
            if (!TopicChars().IsMatch(topic) || topic.Length > 249 || topic is "." or "..")
                errors.Add($"Kafka:Topics:{type} '{topic}' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249).");
        }

        foreach (var (key, value) in options.Producer)
        {
            switch (key)
            {
                case "bootstrap.servers" or "metadata.broker.list":
                    errors.Add($"Kafka:Producer:{key} is not allowed; set Kafka:BootstrapServers.");
                    break;
                case "enable.idempotence" when !string.Equals(value, "true", StringComparison.OrdinalIgnoreCase):
                    errors.Add("Kafka:Producer:enable.idempotence cannot be turned off: the relay relies on it for order and no duplicates.");
                    break;
                case "acks" or "request.required.acks" when value is not ("all" or "-1"):
                    errors.Add($"Kafka:Producer:{key} must stay 'all': an event counts as published only when every in-sync replica has it.");
                    break;
                case "message.timeout.ms" or "delivery.timeout.ms":
                    errors.Add($"Kafka:Producer:{key} is set through Kafka:MessageTimeoutMs.");
                    break;
            }
        }

        // Only once the relay's own rules hold: librdkafka would otherwise also refuse the forbidden keys.
        if (errors.Count == 0)
            errors.AddRange(RelayProducerConfig.Check(options));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            errors.Add($"{key} must be positive (was {value}).");
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex TopicChars();
}
