using OpsDesk.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddOpsDeskApi();

var app = builder.Build();
app.UseOpsDeskApi();
app.Run();

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
