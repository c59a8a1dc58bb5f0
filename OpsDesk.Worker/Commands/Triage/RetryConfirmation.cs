namespace OpsDesk.Worker.Commands.Triage;

/// <summary>Asks before a bulk retry; without a person to answer, refuses instead of guessing.</summary>
internal static class RetryConfirmation
{
    /// <summary>Null when the user said yes; otherwise the exit code (0 cancelled by the user, 2 cannot ask).</summary>
    public static async Task<int?> AskAsync(CliServices services, TextWriter err, int count, CancellationToken ct)
    {
        if (!services.InputIsInteractive)
        {
            await err.WriteLineAsync($"error: about to retry {count} triage(s), but stdin is not interactive and cannot confirm; pass --yes (or --dry-run to preview).");
            return Cli.BadUsage;
        }

        await err.WriteAsync($"Retry the triage of {count} ticket(s)? [y/N] ");
        await err.FlushAsync(ct);
        var answer = (await services.Input.ReadLineAsync(ct))?.Trim();
        if (answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase)))
            return null;
        await err.WriteLineAsync("Cancelled: nothing was retried.");
        return Cli.Ok;
    }
}
