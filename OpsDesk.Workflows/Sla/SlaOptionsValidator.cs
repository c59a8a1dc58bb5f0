using System.Globalization;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Workflows.Sla;

/// <summary>Checks <see cref="SlaOptions"/> at start-up; every message names the setting.</summary>
public sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public static readonly TimeSpan MaxTarget = TimeSpan.FromDays(365);

    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        var errors = new List<string>();
        ValidateTargets(errors, nameof(SlaOptions.FirstResponseTargets), options.FirstResponseTargets);
        ValidateTargets(errors, nameof(SlaOptions.ResolutionTargets), options.ResolutionTargets);
        foreach (var key in options.Targets.Keys)
            errors.Add($"Sla:Targets:{key} is no longer read: set Sla:FirstResponseTargets:{key} and Sla:ResolutionTargets:{key} instead.");

        if (double.IsNaN(options.WarningAt) || options.WarningAt is <= 0 or >= 1)
            errors.Add($"Sla:WarningAt must be a fraction between 0 and 1, exclusive (got {options.WarningAt.ToString(CultureInfo.InvariantCulture)}).");
        if (!Priorities.IsValid(options.DefaultPriority?.ToUpperInvariant()))
            errors.Add($"Sla:DefaultPriority must be one of {string.Join(", ", Priorities.All)} (got '{options.DefaultPriority}').");
        if (options.ContinueAsNewAfterChanges is < 1 or > 10_000)
            errors.Add("Sla:ContinueAsNewAfterChanges must be from 1 to 10000.");
        if (double.IsNaN(options.DispatchEverySeconds) || options.DispatchEverySeconds is < 0.05 or > 3600)
            errors.Add("Sla:DispatchEverySeconds must be from 0.05 to 3600.");
        if (options.DispatchBatchSize is < 1 or > 10_000)
            errors.Add("Sla:DispatchBatchSize must be from 1 to 10000.");
        if (double.IsNaN(options.DispatchMaxBackoffSeconds) || options.DispatchMaxBackoffSeconds is < 0.1 or > 3600)
            errors.Add("Sla:DispatchMaxBackoffSeconds must be from 0.1 to 3600.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTargets(List<string> errors, string name, Dictionary<string, TimeSpan> targets)
    {
        foreach (var priority in Priorities.All)
        {
            if (!targets.TryGetValue(priority, out var target))
                errors.Add($"Sla:{name}:{priority} is missing.");
            else if (target <= TimeSpan.Zero || target > MaxTarget)
                errors.Add($"Sla:{name}:{priority} must be a positive duration of at most {MaxTarget.TotalDays:0} days (got {target}).");
        }

        foreach (var key in targets.Keys.Where(k => !Priorities.IsValid(k.ToUpperInvariant())))
            errors.Add($"Sla:{name}:{key} is not a priority (P0–P3).");
    }
}
