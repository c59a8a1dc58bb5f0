using Temporalio.Common;
using Temporalio.Workflows;

namespace OpsDesk.Workflows.Kb;

/// <summary>Embeds one version of one article (id <c>kb-embed-{articleId}-v{version}</c>): one activity, retried with backoff.</summary>
[Workflow(Name)]
public sealed class KbEmbedWorkflow
{
    public const string Name = "KbEmbedWorkflow";

    [WorkflowRun]
    public async Task<int> RunAsync(KbEmbedInput input) =>
        await Workflow.ExecuteActivityAsync(
            (KbActivities a) => a.EmbedArticleAsync(input),
            new ActivityOptions
            {
                StartToCloseTimeout = TimeSpan.FromMinutes(2),
                ScheduleToCloseTimeout = TimeSpan.FromHours(1),
                RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2, MaximumInterval = TimeSpan.FromMinutes(1) },
                Summary = $"Embed article #{input.ArticleId} v{input.Version}",
            });
}
