using Temporalio.Client;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>Which tickets <c>triage retry</c> works on: the ids given, or what <c>triage failed</c> would list.</summary>
internal static class RetryTargets
{
    public static List<long> Given(IEnumerable<long> ids) => ids.Distinct().ToList();

    /// <summary>The failed triages of the last <paramref name="since"/>, with the list's notice (visibility or database) on stderr.</summary>
    public static async Task<List<long>> AllFailedAsync(TriageCommandContext context, ITemporalClient client, TimeSpan since, int limit, CancellationToken ct)
    {
        var list = await FailedTriageList.ListAsync(context, client, null, since, limit, ct);
        if (list.Notice("taking failed tickets") is { } notice)
            await context.Err.WriteLineAsync(notice);
        return list.Items.Select(i => i.Item.TicketId).Distinct().ToList();
    }
}
