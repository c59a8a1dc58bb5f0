using Microsoft.Extensions.Options;
using OpsDesk.Db.Configuration;

namespace OpsDesk.Workflows.Temporal;

/// <summary>Checks <c>Temporal:*</c> beyond presence: an address that cannot be a frontend fails start-up.</summary>
public sealed class TemporalOptionsValidator : IValidateOptions<TemporalOptions>
{
    public ValidateOptionsResult Validate(string? name, TemporalOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Address) && !HostPort.IsValid(options.Address))
            return ValidateOptionsResult.Fail($"Temporal:Address must be host:port, e.g. localhost:7233 (got '{options.Address}').");
        return ValidateOptionsResult.Success;
    }
}
