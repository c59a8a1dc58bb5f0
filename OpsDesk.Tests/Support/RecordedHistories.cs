using System.Text.Json;
using System.Text.Json.Nodes;
using OpsDesk.Tests.Deploy;
using OpsDesk.Workflows.Sla;
using OpsDesk.Workflows.Triage;
using Temporalio.Client;
using Temporalio.Common;

namespace OpsDesk.Tests.Support;

/// <summary>
/// Histories that real Temporal runs recorded (the live suite), committed under
/// <c>Fixtures/histories/recorded/</c> and replayed by the default suite with no server. Every live
/// run replays its own history at once; with <see cref="Variable"/>=1 it also rewrites the committed
/// file, after a deliberate workflow change (then the old file must still replay, or be versioned).
/// </summary>
public static class RecordedHistories
{
    public const string Variable = "OPSDESK_RECORD_HISTORIES";

    public const string TriageSuccess = "triage-success";
    public const string TriageTransientThenSuccess = "triage-transient-then-success";
    public const string TriagePermanentFailure = "triage-permanent-failure";
    public const string SlaUnansweredWarningThenBreach = "sla-unanswered-warning-then-breach";
    public const string SlaReplyMeetsFirstResponse = "sla-reply-meets-first-response";
    public const string SlaPendingPausesResolutionOnly = "sla-pending-pauses-resolution-only";
    public const string SlaPriorityRaise = "sla-priority-raise";
    public const string SlaResolveMeetsBoth = "sla-resolve-meets-both";
    public const string SlaContinueAsNewFirstRun = "sla-two-targets-continue-as-new-first-run";
    public const string SlaContinueAsNewSecondRun = "sla-two-targets-continue-as-new-second-run";

    /// <summary>Every recording the live suite makes; the replay tests require each to be committed.</summary>
    public static readonly string[] All =
    [
        TriageSuccess, TriageTransientThenSuccess, TriagePermanentFailure,
        SlaUnansweredWarningThenBreach, SlaReplyMeetsFirstResponse, SlaPendingPausesResolutionOnly, SlaPriorityRaise,
        SlaResolveMeetsBoth, SlaContinueAsNewFirstRun, SlaContinueAsNewSecondRun,
    ];

    /// <summary>Folder (under <c>recorded/</c>) of the single-target SLA runs recorded before the patch <c>sla-two-targets</c>.</summary>
    public const string SingleTargetFolder = "single-target";

    /// <summary>
    /// Single-target SLA histories, recorded before #16 by the live suite of then. No live test makes them any more:
    /// they are kept, unchanged, so workflows of that shape still running are proven to replay on this build.
    /// </summary>
    public static readonly string[] SingleTarget =
    [
        SingleTargetFolder + "/sla-warning-then-breach", SingleTargetFolder + "/sla-pause-resume", SingleTargetFolder + "/sla-priority-change",
        SingleTargetFolder + "/sla-resolve", SingleTargetFolder + "/sla-continue-as-new-first-run", SingleTargetFolder + "/sla-continue-as-new-second-run",
    ];

    /// <summary>The workflows a recorded history may belong to.</summary>
    public static readonly Type[] Workflows = [typeof(TriageWorkflow), typeof(SlaWorkflow)];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "histories", "recorded", name + ".json");

    public static WorkflowHistory Load(string name) => WorkflowHistory.FromJson("recorded-" + name.Replace('/', '-'), File.ReadAllText(PathOf(name)));

    /// <summary>Fetches the run's history, replays it on this build, and writes it to the source tree when asked.</summary>
    public static async Task RecordAsync(WorkflowHandle handle, string name)
    {
        var history = await handle.FetchHistoryAsync();
        await Replay.AssertReplaysAsync(history, Workflows);
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            return;
        var dir = RepoFiles.Path("OpsDesk.Tests/Fixtures/histories/recorded");
        Directory.CreateDirectory(dir);
        // What `temporal workflow show --output json` writes: proto JSON of the events.
        await File.WriteAllTextAsync(Path.Combine(dir, name + ".json"), JsonNode.Parse(history.ToJson())!.ToJsonString(Indented) + "\n");
    }
}
