using ServerSidePersonalization.Benchmarks;

// dotnet run -c Release --project tests/ServerSidePersonalization.Benchmarks -- redis-outage [requests]
return args.FirstOrDefault() switch
{
    "redis-outage" => await RedisOutageLoad.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: ServerSidePersonalization.Benchmarks redis-outage [requests]");
    return 2;
}
