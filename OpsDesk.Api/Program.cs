using OpsDesk.Api;
using OpsDesk.Db.Configuration;

var builder = WebApplication.CreateBuilder(args);
builder.AddOpsDeskApi();

var app = builder.Build();
// Bad settings stop start-up with one line each naming the key (exit 2), before the pipeline reads them.
if (await StartupCheck.ReportAsync(app.Services, Console.Error) is { } exitCode)
    return exitCode;
app.UseOpsDeskApi();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
