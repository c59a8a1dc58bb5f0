using System.CommandLine;
using Microsoft.Extensions.Configuration;
using OpsDesk.Db;
using OpsDesk.Worker.Sla;

namespace OpsDesk.Worker.Hosting;

/// <summary>The long-running worker process.</summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(Commands.CommonOptions.Overrides(parse));
        Configure(builder);
        var app = builder.Build();
        Map(app);
        await app.RunAsync(ct);
        return 0;
    }

    /// <summary>The worker's services; dev mode adds them to the API's host.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddOpsDeskDb();
        builder.Services.AddSlaDispatcher();
    }

    public static void Map(WebApplication app)
    {
        _ = app;
    }
}
