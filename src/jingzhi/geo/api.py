"""REST API of `geo`: point routing and GeoJSON layers for maps (any signed-in staff; the layers
versioned, revalidated and compressed by `layers.geography_layer`)."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .layers import geography_layer
from .selectors import (
    Location,
    areas_feature_collection,
    grids_feature_collection,
    locate_point,
    unit_ref,
    zones_feature_collection,
)
from .serializers import (
    AreaCollectionSerializer,
    AreasQuerySerializer,
    GridCollectionSerializer,
    GridsQuerySerializer,
    LocateQuerySerializer,
    LocationSerializer,
    ZoneCollectionSerializer,
    ZonesQuerySerializer,
)


def location_data(location: Location) -> dict:
    return {
        "inside": location.inside,
        "message": "" if location.inside else _("不在服务范围内"),
        "lon": location.lon, "lat": location.lat,
        "district": unit_ref(location.district),
        "subdistrict": unit_ref(location.subdistrict),
        "community": unit_ref(location.community),
        "grid_code": location.grid_code,
        "responsible_units": {duty: unit_ref(unit) for duty, unit in location.responsible_units.items()},
    }


def _query(serializer_class, request) -> dict:
    """The validated query. A plain dict, not the QueryDict: DRF reads an empty value in form data
    as "not given" (its default then applies), but ``?level=`` is an invalid level, not none."""
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(parameters=[LocateQuerySerializer], responses=LocationSerializer,
               description="District, sub-district, grid code and responsible units of a point. "
                           "A point outside every district is a 200 with inside=false.")
@api_view(["GET"])
def locate(request):
    query = _query(LocateQuerySerializer, request)
    return Response(location_data(locate_point(**query)))


@extend_schema(parameters=[AreasQuerySerializer], responses=AreaCollectionSerializer,
               description="Administrative areas of one level as a GeoJSON FeatureCollection (WGS84).")
@api_view(["GET"])
@geography_layer(public=False)
def areas_geojson(request):
    return Response(areas_feature_collection(**_query(AreasQuerySerializer, request)))


@extend_schema(parameters=[GridsQuerySerializer], responses=GridCollectionSerializer,
               description="Unit grids overlapping a bounding box (required, at most 0.08° per side).")
@api_view(["GET"])
@geography_layer(public=False)
def grids_geojson(request):
    return Response(grids_feature_collection(**_query(GridsQuerySerializer, request)))


@extend_schema(parameters=[ZonesQuerySerializer], responses=ZoneCollectionSerializer,
               description="Responsibility zones (who answers for a road, river or park) as GeoJSON (WGS84), "
                           "optionally of one duty kind and overlapping a bounding box.")
@api_view(["GET"])
@geography_layer(public=False)
def zones_geojson(request):
    return Response(zones_feature_collection(**_query(ZonesQuerySerializer, request)))
