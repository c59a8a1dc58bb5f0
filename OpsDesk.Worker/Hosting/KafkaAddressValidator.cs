using Microsoft.Extensions.Options;
using OpsDesk.Db.Configuration;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Worker.Hosting;

/// <summary>An unusable <c>Kafka:BootstrapServers</c> fails start-up instead of a relay that retries forever.</summary>
public sealed class KafkaAddressValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options) =>
        string.IsNullOrWhiteSpace(options.BootstrapServers) || HostPort.IsValidList(options.BootstrapServers)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Kafka:BootstrapServers must be a comma-separated list of host:port (got '{options.BootstrapServers}').");
}
